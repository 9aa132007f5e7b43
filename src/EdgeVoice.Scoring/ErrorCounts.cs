namespace EdgeVoice.Scoring;

/// <summary>Word and sentence counts for one utterance, one speaker or a whole test set.</summary>
public sealed record ErrorCounts
{
    public static readonly ErrorCounts Zero = new();

    /// <summary>Number of utterances (sclite "# Snt").</summary>
    public int Utterances { get; init; }

    /// <summary>Utterances with at least one error (sclite "S.Err").</summary>
    public int UtterancesWithErrors { get; init; }

    /// <summary>Reference words N = Correct + Substitutions + Deletions (sclite "# Wrd").</summary>
    public int Words => Correct + Substitutions + Deletions;

    public int Correct { get; init; }

    public int Substitutions { get; init; }

    public int Deletions { get; init; }

    public int Insertions { get; init; }

    /// <summary>Substitutions + Deletions + Insertions.</summary>
    public int Errors => Substitutions + Deletions + Insertions;

    /// <summary>Word error rate in percent, 100 * Errors / Words; null when there are no reference words.</summary>
    public double? WerPercent => Words == 0 ? null : 100.0 * Errors / Words;

    /// <summary>Counts one aligned utterance.</summary>
    public static ErrorCounts FromAlignment(IReadOnlyList<AlignedWord> alignment)
    {
        ArgumentNullException.ThrowIfNull(alignment);

        int correct = 0, substitutions = 0, deletions = 0, insertions = 0;
        foreach (var step in alignment)
        {
            switch (step.Operation)
            {
                case EditOperation.Correct: correct++; break;
                case EditOperation.Substitution: substitutions++; break;
                case EditOperation.Deletion: deletions++; break;
                case EditOperation.Insertion: insertions++; break;
                default: throw new ArgumentException($"Unknown edit operation {step.Operation}.", nameof(alignment));
            }
        }

        var hasErrors = substitutions + deletions + insertions > 0;
        return new ErrorCounts
        {
            Utterances = 1,
            UtterancesWithErrors = hasErrors ? 1 : 0,
            Correct = correct,
            Substitutions = substitutions,
            Deletions = deletions,
            Insertions = insertions,
        };
    }

    public static ErrorCounts operator +(ErrorCounts left, ErrorCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);

        return new ErrorCounts
        {
            Utterances = left.Utterances + right.Utterances,
            UtterancesWithErrors = left.UtterancesWithErrors + right.UtterancesWithErrors,
            Correct = left.Correct + right.Correct,
            Substitutions = left.Substitutions + right.Substitutions,
            Deletions = left.Deletions + right.Deletions,
            Insertions = left.Insertions + right.Insertions,
        };
    }
}
