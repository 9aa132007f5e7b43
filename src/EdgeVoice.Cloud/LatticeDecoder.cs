using System.Globalization;
using System.Text;
using EdgeVoice.Asr;

namespace EdgeVoice.Cloud;

/// <summary>
/// Decodes a lattice sent to the service and checks the service's own limits on it. Every refusal is a
/// <see cref="ProblemException"/>: 422 for a body that is not a valid lattice (naming the problem the codec found)
/// or one beyond the limits; nothing a client sends can make it throw anything else.
/// </summary>
internal sealed class LatticeDecoder(RescoringServiceOptions options)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public WordLattice Decode(ReadOnlySpan<byte> body, bool binary)
    {
        if (body.IsEmpty)
        {
            throw Malformed("The body is empty; send a lattice.");
        }

        WordLattice lattice;
        try
        {
            lattice = binary ? WordLattice.FromBinary(body) : WordLattice.FromJson(ReadText(body));
        }
        catch (LatticeFormatException e)
        {
            throw Malformed(e.Message);
        }

        Check(lattice);
        return lattice;
    }

    private static string ReadText(ReadOnlySpan<byte> body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("The JSON lattice is not valid UTF-8.");
        }
    }

    private void Check(WordLattice lattice)
    {
        if (lattice.NodeCount > options.MaxLatticeNodes || lattice.Arcs.Count > options.MaxLatticeArcs)
        {
            throw new ProblemException(422, "lattice-too-large", "Lattice too large", string.Create(CultureInfo.InvariantCulture,
                $"The lattice has {lattice.NodeCount} nodes and {lattice.Arcs.Count} arcs; this service takes at most {options.MaxLatticeNodes} nodes and {options.MaxLatticeArcs} arcs."));
        }

        for (int node = 0; node < lattice.NodeCount; node++)
        {
            if (float.IsInfinity(lattice.FinalWeights[node]))
            {
                throw Malformed($"Invalid lattice: node {node} has an infinite final weight.");
            }
        }

        if (lattice.Utterance.Length > 256)
        {
            throw Malformed($"The lattice's utterance id has {lattice.Utterance.Length} characters; at most 256 are allowed.");
        }
    }

    private static ProblemException Malformed(string detail) => new(422, "malformed-lattice", "Malformed lattice", detail);
}
