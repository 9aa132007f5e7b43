namespace EdgeVoice.Scoring;

/// <summary>
/// Minimum-cost word alignment with sclite's default costs (<see cref="ScliteCosts"/>) and sclite's tie-breaking,
/// so that the counts of correct, substituted, deleted and inserted words equal sclite's.
/// </summary>
/// <remarks>
/// Cell (r, h) holds the cheapest cost of aligning the first r reference words with the first h hypothesis words.
/// When candidates cost the same, the diagonal step (correct or substitution) wins over a deletion and an insertion,
/// and an insertion wins over a deletion; the path is traced back from the last cell.
/// Words are compared with ordinal equality: fold case before calling when case should not matter.
/// </remarks>
public static class WordAligner
{
    private const byte FromDiagonal = 0;
    private const byte FromAbove = 1; // consumes a reference word: deletion
    private const byte FromLeft = 2;  // consumes a hypothesis word: insertion

    /// <summary>Aligns <paramref name="reference"/> with <paramref name="hypothesis"/>, in word order.</summary>
    public static IReadOnlyList<AlignedWord> Align(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);

        var rows = reference.Count;
        var columns = hypothesis.Count;
        var width = columns + 1;
        var moves = new byte[checked((rows + 1) * width)];
        var previous = new int[width];
        var current = new int[width];

        for (var h = 1; h <= columns; h++)
        {
            previous[h] = previous[h - 1] + ScliteCosts.Insertion;
            moves[h] = FromLeft;
        }

        for (var r = 1; r <= rows; r++)
        {
            current[0] = previous[0] + ScliteCosts.Deletion;
            moves[r * width] = FromAbove;
            var referenceWord = reference[r - 1];
            for (var h = 1; h <= columns; h++)
            {
                var diagonal = previous[h - 1] + (string.Equals(referenceWord, hypothesis[h - 1], StringComparison.Ordinal)
                    ? ScliteCosts.Correct
                    : ScliteCosts.Substitution);
                var deletion = previous[h] + ScliteCosts.Deletion;
                var insertion = current[h - 1] + ScliteCosts.Insertion;

                if (diagonal <= deletion && diagonal <= insertion)
                {
                    current[h] = diagonal;
                    moves[r * width + h] = FromDiagonal;
                }
                else if (deletion < insertion)
                {
                    current[h] = deletion;
                    moves[r * width + h] = FromAbove;
                }
                else
                {
                    current[h] = insertion;
                    moves[r * width + h] = FromLeft;
                }
            }

            (previous, current) = (current, previous);
        }

        return TraceBack(reference, hypothesis, moves, width);
    }

    private static AlignedWord[] TraceBack(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis, byte[] moves, int width)
    {
        var steps = new List<AlignedWord>(Math.Max(reference.Count, hypothesis.Count));
        var r = reference.Count;
        var h = hypothesis.Count;
        while (r > 0 || h > 0)
        {
            switch (moves[r * width + h])
            {
                case FromDiagonal:
                    var referenceWord = reference[r - 1];
                    var hypothesisWord = hypothesis[h - 1];
                    var operation = string.Equals(referenceWord, hypothesisWord, StringComparison.Ordinal)
                        ? EditOperation.Correct
                        : EditOperation.Substitution;
                    steps.Add(new AlignedWord(referenceWord, hypothesisWord, operation));
                    r--;
                    h--;
                    break;
                case FromAbove:
                    steps.Add(new AlignedWord(reference[r - 1], null, EditOperation.Deletion));
                    r--;
                    break;
                default:
                    steps.Add(new AlignedWord(null, hypothesis[h - 1], EditOperation.Insertion));
                    h--;
                    break;
            }
        }

        steps.Reverse();
        return [.. steps];
    }
}
