namespace EdgeVoice.Lm;

/// <summary>
/// How a hypothesis's scores combine: <c>total = acoustic + LmWeight · lm + WordInsertionBonus · words</c>
/// (all natural-log). Tune both on dev lattices with <see cref="RescoringWeightTuner"/> and store them with the
/// model (<see cref="RescoringWeightsFile"/>).
/// </summary>
/// <param name="LmWeight">Weight of the LM's natural-log probability (≥ 0).</param>
/// <param name="WordInsertionBonus">Added per word; positive values counter the LM's preference for short sentences.</param>
public sealed record RescoringWeights(double LmWeight, double WordInsertionBonus)
{
    /// <summary>Untuned defaults: LM weight 0.5, no insertion bonus (a common starting point for shallow fusion of a transducer).</summary>
    public static RescoringWeights Default { get; } = new(0.5, 0.0);

    /// <summary>Checks both numbers; reports every problem at once.</summary>
    /// <exception cref="ArgumentException">A weight is not finite, or the LM weight is negative.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(LmWeight) || LmWeight < 0)
        {
            problems.Add($"LmWeight {LmWeight} must be a finite number ≥ 0");
        }

        if (!double.IsFinite(WordInsertionBonus))
        {
            problems.Add($"WordInsertionBonus {WordInsertionBonus} must be a finite number");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid rescoring weights: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>The combined score of a hypothesis.</summary>
    public double Total(double acousticScore, double lmScore, int wordCount) => acousticScore + LmWeight * lmScore + WordInsertionBonus * wordCount;
}
