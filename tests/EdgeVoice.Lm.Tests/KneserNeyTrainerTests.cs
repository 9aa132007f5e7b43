namespace EdgeVoice.Lm.Tests;

public class KneserNeyTrainerTests
{
    private static readonly string[][] Tiny = [["A", "B"], ["A", "C"], ["B", "C"]];

    private static ArpaLanguageModel TinyBigram() =>
        KneserNeyTrainer.Train(Tiny, new KneserNeyOptions { Order = 2, FixedDiscounts = [0.5, 1.0, 1.5] });

    [Fact]
    public void BigramMatchesHandComputedValues()
    {
        // Worked by hand (see the comments): V = {</s>, <unk>, A, B, C} = 5 words; D = 0.5 / 1.0 / 1.5.
        // Continuation counts: A 1 ({<s>}), B 2 ({<s>, A}), C 2 ({A, B}), </s> 2 ({B, C}); total 7; γ(ε) = (0.5·1 + 1·3)/7 = 0.5.
        double pA = 0.5 / 7 + 0.5 / 5, pB = 1.0 / 7 + 0.5 / 5, pC = pB, pEnd = pB, pUnk = 0.5 / 5;
        Assert.Equal(1.0, pA + pB + pC + pEnd + pUnk, 12);
        ArpaLanguageModel lm = TinyBigram();
        Assert.Equal(Math.Log(pA), lm.LogProbability([], "A"), 6);
        Assert.Equal(Math.Log(pUnk), lm.LogProbability([], "NEVER-SEEN"), 6);
        // Context <s>: <s> A ×2, <s> B ×1 → total 3, γ = (0.5 + 1.0)/3 = 0.5.
        Assert.Equal(Math.Log(1.0 / 3 + 0.5 * pA), lm.LogProbability(["<s>"], "A"), 6);
        Assert.Equal(Math.Log(0.5 / 3 + 0.5 * pB), lm.LogProbability(["<s>"], "B"), 6);
        Assert.Equal(Math.Log(0.5 * pC), lm.LogProbability(["<s>"], "C"), 6);           // unseen: back-off
        // Context A: A B, A C once each → γ(A) = 0.5·2/2 = 0.5; context B: B </s>, B C → γ = 0.5; context C: C </s> ×2 → γ = 1.0·1/2.
        double pBgivenA = 0.5 / 2 + 0.5 * pB, pEndGivenB = 0.5 / 2 + 0.5 * pEnd;
        Assert.Equal(Math.Log(pBgivenA), lm.LogProbability(["A"], "B"), 6);
        Assert.Equal(Math.Log(0.5 * pA), lm.LogProbability(["C"], "A"), 6);
        Assert.Equal(Math.Log(1.0 / 3 + 0.5 * pA) + Math.Log(pBgivenA) + Math.Log(pEndGivenB), lm.ScoreSentence(["A", "B"]), 6);
    }

    [Fact]
    public void ProbabilitiesSumToOneForEverySeenHistory()
    {
        List<string[]> corpus = SyntheticCorpus(400, seed: 7);
        ArpaLanguageModel lm = KneserNeyTrainer.Train(corpus, new KneserNeyOptions { Order = 3 });
        string[] vocabulary = corpus.SelectMany(s => s).Distinct().Append("</s>").Append("<unk>").ToArray();
        var histories = new HashSet<string>();
        foreach (string[] s in corpus)
        {
            string[] padded = ["<s>", .. s];
            for (int i = 0; i < padded.Length; i++)
            {
                histories.Add(padded[i]);
                if (i > 0)
                {
                    histories.Add(padded[i - 1] + " " + padded[i]);
                }
            }
        }

        histories.Add("");
        histories.Add("NEVER SEEN");
        foreach (string h in histories)
        {
            string[] history = h.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double sum = vocabulary.Sum(w => Math.Exp(lm.LogProbability(history, w)));
            Assert.True(Math.Abs(sum - 1) < 1e-6, $"history '{h}': probabilities sum to {sum:R}");
        }

        Assert.True(histories.Count > 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void AnyOrderSumsToOne(int order)
    {
        List<string[]> corpus = SyntheticCorpus(200, seed: order);
        ArpaLanguageModel lm = KneserNeyTrainer.Train(corpus, new KneserNeyOptions { Order = order });
        Assert.Equal(order, lm.Order);
        string[] vocabulary = corpus.SelectMany(s => s).Distinct().Append("</s>").Append("<unk>").ToArray();
        foreach (string[] s in corpus.Take(30))
        {
            string[] history = ["<s>", .. s.Take(order - 1)];
            double sum = vocabulary.Sum(w => Math.Exp(lm.LogProbability(history, w)));
            Assert.True(Math.Abs(sum - 1) < 1e-6, $"order {order}, history '{string.Join(' ', history)}': {sum:R}");
        }
    }

    [Fact]
    public void DiscountsFollowChenAndGoodman()
    {
        // n1 = 4, n2 = 2, n3 = 1, n4 = 1: Y = 4/8 = 0.5; D1 = 1 − 2·0.5·2/4 = 0.5, D2 = 2 − 3·0.5·1/2 = 1.25, D3+ = 3 − 4·0.5·1/1 = 1.
        double[] d = KneserNeyTrainer.EstimateDiscounts([1, 1, 1, 1, 2, 2, 3, 4, 9]);
        Assert.Equal([0.5, 1.25, 1.0], d);
        Assert.Equal(KneserNeyOptions.FallbackDiscounts, KneserNeyTrainer.EstimateDiscounts([1, 2]));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => KneserNeyTrainer.Train([], new KneserNeyOptions()));
        Assert.Throws<ArgumentException>(() => KneserNeyTrainer.Train([["A B"]]));
        Assert.Throws<ArgumentException>(() => KneserNeyTrainer.Train([["<s>"]]));
        var e = Assert.Throws<ArgumentException>(() => new KneserNeyOptions { Order = 0, FixedDiscounts = [0.5, 3.0] }.Validate());
        Assert.Contains("Order 0", e.Message);
        Assert.Contains("FixedDiscounts", e.Message);
    }

    /// <summary>A small synthetic corpus with repeated phrases (so that counts of counts are all present).</summary>
    internal static List<string[]> SyntheticCorpus(int sentences, int seed)
    {
        var rng = new Random(seed);
        string[] verbs = ["TURN ON", "TURN OFF", "DIM", "SET"];
        string[] things = ["THE LIGHTS", "THE FAN", "THE KITCHEN LIGHTS", "THE HEATER", "MY LAMP"];
        string[] tails = ["", "PLEASE", "NOW", "IN THE BEDROOM", "IN THE KITCHEN"];
        var corpus = new List<string[]>();
        for (int i = 0; i < sentences; i++)
        {
            string text = $"{verbs[rng.Next(verbs.Length)]} {things[rng.Next(things.Length)]} {tails[rng.Next(tails.Length)]}";
            if (rng.Next(10) == 0)
            {
                text += " WORD" + rng.Next(40);
            }

            corpus.Add(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return corpus;
    }
}
