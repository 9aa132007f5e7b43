namespace EdgeVoice.Lm;

/// <summary>Options of <see cref="KneserNeyTrainer"/>.</summary>
public sealed record KneserNeyOptions
{
    /// <summary>Highest n-gram order (≥ 1). 3 by default: trigrams, the usual baseline for first-pass and rescoring LMs.</summary>
    public int Order { get; init; } = 3;

    /// <summary>
    /// Discounts (D1, D2, D3+) used for every order instead of estimating them; null (the default) estimates them per
    /// order from the counts of counts as Chen and Goodman (1998) do: Y = n1 / (n1 + 2 n2), D1 = 1 − 2Y n2/n1,
    /// D2 = 2 − 3Y n3/n2, D3+ = 3 − 4Y n4/n3.
    /// </summary>
    public IReadOnlyList<double>? FixedDiscounts { get; init; }

    /// <summary>
    /// Discounts used for an order whose counts of counts cannot give valid ones (some nᵢ is 0 or a Dᵢ falls outside
    /// (0, i]), which happens on tiny corpora: (0.5, 1.0, 1.5).
    /// </summary>
    public static IReadOnlyList<double> FallbackDiscounts { get; } = [0.5, 1.0, 1.5];

    /// <summary>Checks the options; reports every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Order < 1)
        {
            problems.Add($"Order {Order} must be at least 1");
        }

        if (FixedDiscounts is { } d)
        {
            if (d.Count != 3)
            {
                problems.Add($"FixedDiscounts has {d.Count} values; give D1, D2 and D3+");
            }
            else
            {
                for (int i = 0; i < 3; i++)
                {
                    if (!(d[i] > 0 && d[i] <= i + 1))
                    {
                        problems.Add($"FixedDiscounts D{i + 1} = {d[i]} must be in (0, {i + 1}]");
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Kneser-Ney options: " + string.Join("; ", problems) + ".");
        }
    }
}
