using EdgeVoice.Asr;

namespace EdgeVoice.Cloud;

/// <summary>
/// What the service needs from a rescorer: the n best paths of a lattice after language-model scoring, best first.
/// Implementations are shared by every request and session, so they must be safe to call concurrently.
/// </summary>
public interface ILatticeRescoringEngine
{
    /// <summary>A short name reported in responses, /healthz and the metrics (e.g. the language model's name).</summary>
    string Name { get; }

    /// <summary>The <paramref name="nbest"/> best paths of <paramref name="lattice"/>, best first.</summary>
    IReadOnlyList<RescoredPath> Rescore(WordLattice lattice, int nbest, CancellationToken cancellationToken);
}
