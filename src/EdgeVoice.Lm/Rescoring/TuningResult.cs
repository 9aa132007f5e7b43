namespace EdgeVoice.Lm;

/// <summary>The outcome of <see cref="RescoringWeightTuner.Tune"/>.</summary>
/// <param name="Best">The weights with the lowest WER (the first in grid order among equals: smallest LM weight, then smallest bonus).</param>
/// <param name="BestWerPercent">WER (%) of the rescored 1-best with <paramref name="Best"/>.</param>
/// <param name="AcousticWerPercent">WER (%) of the lattice's acoustic 1-best (no LM).</param>
/// <param name="ReferenceWords">Reference words in the dev set.</param>
/// <param name="Grid">Every grid point with its WER (%), in grid order.</param>
public sealed record TuningResult(
    RescoringWeights Best, double BestWerPercent, double AcousticWerPercent, int ReferenceWords,
    IReadOnlyList<(RescoringWeights Weights, double WerPercent)> Grid);
