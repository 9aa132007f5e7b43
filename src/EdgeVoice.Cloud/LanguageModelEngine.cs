using EdgeVoice.Asr;
using EdgeVoice.Lm;

namespace EdgeVoice.Cloud;

/// <summary>The service's engine over <see cref="LatticeRescorer"/>: a language model and its tuned weights.</summary>
public sealed class LanguageModelEngine(LatticeRescorer rescorer) : ILatticeRescoringEngine
{
    /// <summary>A rescorer of <paramref name="lm"/> with <paramref name="weights"/> (the weights tuned on dev and stored with the model).</summary>
    public LanguageModelEngine(ILanguageModel lm, RescoringWeights weights)
        : this(new LatticeRescorer(lm, weights))
    {
    }

    /// <inheritdoc/>
    public string Name => rescorer.LanguageModel.Name;

    /// <inheritdoc/>
    public IReadOnlyList<RescoredPath> Rescore(WordLattice lattice, int nbest, CancellationToken cancellationToken) =>
        rescorer.Rescore(lattice, nbest, cancellationToken)
            .Select(h => new RescoredPath(h.Text, h.Words, h.AcousticScore, h.LmScore, h.TotalScore))
            .ToArray();
}
