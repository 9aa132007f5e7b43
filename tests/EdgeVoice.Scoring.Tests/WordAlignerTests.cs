namespace EdgeVoice.Scoring.Tests;

public sealed class WordAlignerTests
{
    private static string Labels(string reference, string hypothesis) =>
        string.Concat(WordAligner.Align(TrnFile.SplitWords(reference), TrnFile.SplitWords(hypothesis)).Select(w => w.Label));

    [Theory]
    [InlineData("", "", "")]
    [InlineData("a b c", "", "DDD")]
    [InlineData("", "a b", "II")]
    [InlineData("a b c d", "a x c", "CSCD")]
    [InlineData("a b c", "a b c", "CCC")]
    [InlineData("x y z", "x y z w", "CCCI")]
    // Ties, resolved as sclite does (checked against sclite 2.10 -o pralign):
    [InlineData("a a a", "b a", "DSC")]
    [InlineData("a b", "b a", "DCI")]
    [InlineData("a", "b c", "IS")]
    [InlineData("b", "a c", "IS")]
    [InlineData("a b c", "c b a", "SCS")]
    public void Labels_match_sclite(string reference, string hypothesis, string labels) =>
        Assert.Equal(labels, Labels(reference, hypothesis));

    [Fact]
    public void Gaps_are_null_on_the_missing_side()
    {
        var alignment = WordAligner.Align(["a", "b"], ["b", "c", "d"]);

        Assert.Equal(
            [new AlignedWord("a", null, EditOperation.Deletion), new AlignedWord("b", "b", EditOperation.Correct),
             new AlignedWord(null, "c", EditOperation.Insertion), new AlignedWord(null, "d", EditOperation.Insertion)],
            alignment);
    }

    [Fact]
    public void Comparison_is_ordinal()
    {
        Assert.Equal("S", Labels("A", "a"));
    }

    [Fact]
    public void Alignment_cost_is_minimal_against_a_naive_edit_distance()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 300; trial++)
        {
            var reference = Enumerable.Range(0, random.Next(0, 12)).Select(_ => "abc"[random.Next(3)].ToString()).ToArray();
            var hypothesis = Enumerable.Range(0, random.Next(0, 12)).Select(_ => "abc"[random.Next(3)].ToString()).ToArray();

            var alignment = WordAligner.Align(reference, hypothesis);

            Assert.Equal(NaiveCost(reference, hypothesis), Cost(alignment));
            Assert.Equal(reference, alignment.Where(w => w.Reference is not null).Select(w => w.Reference));
            Assert.Equal(hypothesis, alignment.Where(w => w.Hypothesis is not null).Select(w => w.Hypothesis));
        }
    }

    private static int Cost(IEnumerable<AlignedWord> alignment) => alignment.Sum(w => w.Operation switch
    {
        EditOperation.Correct => ScliteCosts.Correct,
        EditOperation.Substitution => ScliteCosts.Substitution,
        EditOperation.Deletion => ScliteCosts.Deletion,
        _ => ScliteCosts.Insertion,
    });

    // Plain full-matrix edit distance: the cost only, no tie-breaking and no trace-back.
    private static int NaiveCost(string[] reference, string[] hypothesis)
    {
        var cost = new int[reference.Length + 1, hypothesis.Length + 1];
        for (var r = 0; r <= reference.Length; r++)
        {
            for (var h = 0; h <= hypothesis.Length; h++)
            {
                cost[r, h] = (r, h) switch
                {
                    (0, _) => h * ScliteCosts.Insertion,
                    (_, 0) => r * ScliteCosts.Deletion,
                    _ => Math.Min(
                        cost[r - 1, h - 1] + (reference[r - 1] == hypothesis[h - 1] ? ScliteCosts.Correct : ScliteCosts.Substitution),
                        Math.Min(cost[r - 1, h] + ScliteCosts.Deletion, cost[r, h - 1] + ScliteCosts.Insertion)),
                };
            }
        }

        return cost[reference.Length, hypothesis.Length];
    }
}
