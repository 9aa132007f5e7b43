using EdgeVoice.Asr;

namespace EdgeVoice.Cloud;

/// <summary>
/// Ranks a lattice's paths by their acoustic scores alone (no language model): the device's own n-best. What
/// `edgevoice serve --lm none` runs, so the service can be tried before a language model exists.
/// </summary>
public sealed class AcousticOnlyEngine : ILatticeRescoringEngine
{
    /// <inheritdoc/>
    public string Name => "acoustic-only";

    /// <inheritdoc/>
    public IReadOnlyList<RescoredPath> Rescore(WordLattice lattice, int nbest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        cancellationToken.ThrowIfCancellationRequested();
        return lattice.BestPaths(nbest, lmWeight: 0)
            .Select(p => new RescoredPath(p.Text, p.Words, p.AcousticScore, 0, p.AcousticScore))
            .ToArray();
    }
}
