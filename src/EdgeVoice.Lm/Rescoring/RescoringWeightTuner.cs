using EdgeVoice.Asr;
using EdgeVoice.Scoring;

namespace EdgeVoice.Lm;

/// <summary>
/// Grid search of the LM weight and word insertion bonus that minimise the WER of the rescored 1-best on dev
/// lattices. Each lattice's distinct acoustic-best paths (as <see cref="LatticeRescorer"/> takes them) are scored by
/// the LM and aligned with the reference once (sclite's alignment, <see cref="WordAligner"/>); every grid point then
/// only re-picks the best path per utterance, so large grids are cheap.
/// </summary>
public static class RescoringWeightTuner
{
    /// <summary>
    /// A default grid: LM weights 0, 0.05, …, 2 and bonuses −2, −1.75, …, 6 (natural-log units per word). The bonus
    /// range is wide because a transducer that deletes words needs a large one (the first tuning run chose 3, the
    /// edge of a −2…3 grid).
    /// </summary>
    public static IReadOnlyList<double> DefaultLmWeights { get; } = Enumerable.Range(0, 41).Select(i => i * 0.05).ToArray();

    /// <inheritdoc cref="DefaultLmWeights"/>
    public static IReadOnlyList<double> DefaultBonuses { get; } = Enumerable.Range(0, 33).Select(i => -2.0 + i * 0.25).ToArray();

    /// <summary>Searches the grid <paramref name="lmWeights"/> × <paramref name="bonuses"/> (null: the defaults).</summary>
    /// <exception cref="ArgumentException">No examples, an empty grid, or a grid value that is not valid weights.</exception>
    public static TuningResult Tune(
        ILanguageModel lm, IReadOnlyList<TuningExample> dev, IReadOnlyList<double>? lmWeights = null, IReadOnlyList<double>? bonuses = null,
        int maxPaths = 50, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lm);
        ArgumentNullException.ThrowIfNull(dev);
        lmWeights ??= DefaultLmWeights;
        bonuses ??= DefaultBonuses;
        if (dev.Count == 0 || lmWeights.Count == 0 || bonuses.Count == 0)
        {
            throw new ArgumentException("Tuning needs at least one example, one LM weight and one bonus.");
        }

        var grid = new List<RescoringWeights>();
        foreach (double w in lmWeights)
        {
            foreach (double b in bonuses)
            {
                var weights = new RescoringWeights(w, b);
                weights.Validate();
                grid.Add(weights);
            }
        }

        // Per utterance: the candidate paths' acoustic score, LM score, word count and errors.
        // With weights (0, 0) the rescorer returns every distinct path with its LM score, in acoustic order.
        var rescorer = new LatticeRescorer(lm, new RescoringWeights(0, 0), maxPaths);
        var candidates = new List<(double Acoustic, double Lm, int Words, int Errors)[]>(dev.Count);
        int referenceWords = 0, acousticErrors = 0;
        foreach (TuningExample example in dev)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(example);
            IReadOnlyList<RescoredHypothesis> all = rescorer.Rescore(example.Lattice, int.MaxValue, cancellationToken);
            var list = new (double, double, int, int)[all.Count];
            for (int i = 0; i < all.Count; i++)
            {
                ErrorCounts e = ErrorCounts.FromAlignment(WordAligner.Align(example.Reference, all[i].Words));
                list[i] = (all[i].AcousticScore, all[i].LmScore, all[i].Words.Count, e.Errors);
            }

            referenceWords += example.Reference.Count;
            acousticErrors += list.Length > 0 ? list[0].Item4 : example.Reference.Count;
            candidates.Add(list);
        }

        if (referenceWords == 0)
        {
            throw new ArgumentException("The references have no words; WER is undefined.", nameof(dev));
        }

        var results = new List<(RescoringWeights, double)>(grid.Count);
        int bestIndex = 0;
        long bestErrors = long.MaxValue;
        for (int g = 0; g < grid.Count; g++)
        {
            RescoringWeights weights = grid[g];
            long errors = 0;
            foreach (var list in candidates)
            {
                int pick = -1;
                double best = double.NegativeInfinity;
                for (int i = 0; i < list.Length; i++)
                {
                    double total = weights.Total(list[i].Acoustic, list[i].Lm, list[i].Words);
                    if (total > best)
                    {
                        best = total;
                        pick = i;
                    }
                }

                errors += pick >= 0 ? list[pick].Errors : 0;
            }

            results.Add((weights, 100.0 * errors / referenceWords));
            if (errors < bestErrors)
            {
                bestErrors = errors;
                bestIndex = g;
            }
        }

        return new TuningResult(grid[bestIndex], results[bestIndex].Item2, 100.0 * acousticErrors / referenceWords, referenceWords, results);
    }
}
