using System.Globalization;
using System.Text;

namespace EdgeVoice.Asr;

/// <summary>
/// Writes HTK Standard Lattice Format 1.1 with words on links (<c>W=</c>), acoustic (<c>a=</c>) and LM
/// (<c>l=</c>) log scores in base e. SLF has one start and one end node: when the lattice has several final
/// nodes (or a final node with arcs leaving it), a new end node is added, reached by <c>!NULL</c> links that
/// carry the final weights.
/// </summary>
internal static class LatticeSlfWriter
{
    public const string NullWord = "!NULL";

    public static string Write(WordLattice lattice)
    {
        var finals = Enumerable.Range(0, lattice.NodeCount).Where(i => !float.IsNaN(lattice.FinalWeights[i])).ToArray();
        var hasOut = new bool[lattice.NodeCount];
        var time = new double[lattice.NodeCount + 1];
        var timed = new bool[lattice.NodeCount];
        timed[0] = true;
        foreach (LatticeArc a in lattice.Arcs)
        {
            hasOut[a.From] = true;
            if (!timed[a.To])
            {
                time[a.To] = a.EndFrame * lattice.FrameDuration;
                timed[a.To] = true;
            }
        }

        bool extraEnd = !(finals.Length == 1 && finals[0] != 0 && !hasOut[finals[0]] && lattice.FinalWeights[finals[0]] == 0f);
        int nodes = lattice.NodeCount + (extraEnd ? 1 : 0);
        int links = lattice.Arcs.Count + (extraEnd ? finals.Length : 0);
        if (extraEnd)
        {
            time[lattice.NodeCount] = time.Take(lattice.NodeCount).Max();
        }

        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.Append("VERSION=1.1\n");
        s.Append("UTTERANCE=").Append(Escape(lattice.Utterance.Length == 0 ? "utterance" : lattice.Utterance)).Append('\n');
        s.Append("base=2.718282\n");
        s.Append(c, $"N={nodes} L={links}\n");
        for (int i = 0; i < nodes; i++)
        {
            s.Append(c, $"I={i} t={time[i]:F2}\n");
        }

        int j = 0;
        foreach (LatticeArc a in lattice.Arcs)
        {
            s.Append(c, $"J={j++} S={a.From} E={a.To} W={Escape(a.Word)} a={a.AcousticScore:G7} l={(a.HasLmScore ? a.LmScore : 0f):G7}\n");
        }

        if (extraEnd)
        {
            foreach (int f in finals)
            {
                s.Append(c, $"J={j++} S={f} E={lattice.NodeCount} W={NullWord} a={lattice.FinalWeights[f]:G7} l=0\n");
            }
        }

        return s.ToString();
    }

    private static string Escape(string word)
    {
        var s = new StringBuilder(word.Length);
        foreach (char ch in word)
        {
            if (ch is ' ' or '"' or '\'' or '\\' or '=')
            {
                s.Append('\\');
            }

            s.Append(ch);
        }

        return s.ToString();
    }
}
