using EdgeVoice.Asr;

namespace EdgeVoice.Lm.Tests;

public class LatticeRescorerTests
{
    private static readonly FakeLanguageModel Lm = new(new()
    {
        ["TURN ON THE LIGHTS"] = -2.0,
        ["TURN ON THE LIGHT"] = -6.0,
        ["TURN ON LIGHTS"] = -9.0,
        [""] = -20.0,
    });

    [Fact]
    public void LmOverturnsTheAcousticBest()
    {
        WordLattice lattice = TestLattices.Chains(("TURN ON THE LIGHT", -10.0), ("TURN ON THE LIGHTS", -11.0), ("TURN ON LIGHTS", -10.5));
        var rescorer = new LatticeRescorer(Lm, new RescoringWeights(1.0, 0.0));
        IReadOnlyList<RescoredHypothesis> nbest = rescorer.Rescore(lattice, 2);
        Assert.Equal(2, nbest.Count);
        Assert.Equal("TURN ON THE LIGHTS", nbest[0].Text);
        Assert.Equal(-11.0, nbest[0].AcousticScore, 5);
        Assert.Equal(-2.0, nbest[0].LmScore, 12);
        Assert.Equal(-13.0, nbest[0].TotalScore, 5);
        Assert.Equal("TURN ON THE LIGHT", nbest[1].Text);
        Assert.Equal(-16.0, nbest[1].TotalScore, 5);
    }

    [Fact]
    public void WeightsAndBonusEnterTheTotal()
    {
        WordLattice lattice = TestLattices.Chains(("TURN ON LIGHTS", -10.0), ("TURN ON THE LIGHTS", -10.0));
        var rescorer = new LatticeRescorer(Lm, new RescoringWeights(0.5, 2.0));
        IReadOnlyList<RescoredHypothesis> nbest = rescorer.Rescore(lattice, 5);
        Assert.Equal(2, nbest.Count);
        Assert.Equal(-10.0 + 0.5 * -2.0 + 2.0 * 4, nbest[0].TotalScore, 5);
        Assert.Equal(-10.0 + 0.5 * -9.0 + 2.0 * 3, nbest[1].TotalScore, 5);
    }

    [Fact]
    public void ZeroLmWeightKeepsTheAcousticOrder()
    {
        WordLattice lattice = TestLattices.Chains(("TURN ON THE LIGHT", -10.0), ("TURN ON THE LIGHTS", -11.0), ("TURN ON LIGHTS", -10.5));
        var nbest = new LatticeRescorer(Lm, new RescoringWeights(0, 0)).Rescore(lattice, 3);
        Assert.Equal(["TURN ON THE LIGHT", "TURN ON LIGHTS", "TURN ON THE LIGHTS"], nbest.Select(h => h.Text));
    }

    [Fact]
    public void MaxPathsLimitsWhatIsRescored()
    {
        WordLattice lattice = TestLattices.Chains(("TURN ON THE LIGHT", -10.0), ("TURN ON LIGHTS", -10.5), ("TURN ON THE LIGHTS", -11.0));
        var nbest = new LatticeRescorer(Lm, new RescoringWeights(1, 0), maxPaths: 2).Rescore(lattice, 10);
        Assert.Equal(2, nbest.Count);
        Assert.DoesNotContain(nbest, h => h.Text == "TURN ON THE LIGHTS");
    }

    [Fact]
    public void EqualWordSequencesCollapseToTheBest()
    {
        // Same words, different times: two paths, one hypothesis.
        var arcs = new[]
        {
            new LatticeArc(0, 1, "HI", 0, 2, -1f, float.NaN),
            new LatticeArc(0, 2, "HI", 0, 3, -2f, float.NaN),
        };
        var lattice = new WordLattice(3, arcs, [float.NaN, 0f, 0f], 0.04);
        var nbest = new LatticeRescorer(Lm, new RescoringWeights(1, 0)).Rescore(lattice, 5);
        Assert.Single(nbest);
        Assert.Equal(-1.0, nbest[0].AcousticScore, 6);
    }

    [Fact]
    public void ExpandedLatticeCarriesLmScoresThatSumToSentenceScores()
    {
        WordLattice lattice = TestLattices.Chains(("TURN ON THE LIGHT", -10.0), ("TURN ON THE LIGHTS", -11.0), ("", -30.0));
        var rescorer = new LatticeRescorer(Lm, new RescoringWeights(1, 0));
        WordLattice expanded = rescorer.ExpandWithLmScores(lattice);
        Assert.All(expanded.Arcs, a => Assert.True(a.HasLmScore));
        IReadOnlyList<LatticePath> best = expanded.BestPaths(5, lmWeight: 1.0);
        Assert.Equal(3, best.Count);
        Assert.Equal("TURN ON THE LIGHTS", best[0].Text);
        Assert.Equal(-2.0, best[0].LmScore, 5);
        Assert.Equal(-11.0, best[0].AcousticScore, 5);
        Assert.Equal(-6.0, best[1].LmScore, 5);
        Assert.Equal("", best[2].Text);
        Assert.Equal(-20.0, best[2].LmScore, 5);
        // The expansion survives the binary encoding's LM flag.
        WordLattice back = WordLattice.FromBinary(expanded.ToBinary(LatticeScoreEncoding.Float32));
        Assert.Equal(expanded.Arcs.Select(a => a.LmScore), back.Arcs.Select(a => a.LmScore));
    }

    [Fact]
    public void PrefixSharingLatticeIsExpandedPerHistory()
    {
        // "A B" and "C B" merge their suffix "B" in the input; expanded, B has two histories and two arcs.
        var arcs = new[]
        {
            new LatticeArc(0, 1, "A", 0, 1, -1f, float.NaN),
            new LatticeArc(0, 1, "C", 0, 1, -2f, float.NaN),
            new LatticeArc(1, 2, "B", 1, 2, -1f, float.NaN),
        };
        var lattice = new WordLattice(3, arcs, [float.NaN, float.NaN, 0f], 0.04);
        WordLattice expanded = new LatticeRescorer(Lm, new RescoringWeights(1, 0)).ExpandWithLmScores(lattice);
        Assert.Equal(2, expanded.Arcs.Count(a => a.Word == "B"));
        Assert.Equal(5, expanded.NodeCount);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new LatticeRescorer(Lm, new RescoringWeights(-1, 0)));
        Assert.Throws<ArgumentException>(() => new LatticeRescorer(Lm, new RescoringWeights(double.NaN, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatticeRescorer(Lm, RescoringWeights.Default, 0));
        var rescorer = new LatticeRescorer(Lm, RescoringWeights.Default);
        Assert.Throws<ArgumentOutOfRangeException>(() => rescorer.Rescore(TestLattices.Chains(("A", -1)), 0));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => rescorer.Rescore(TestLattices.Chains(("A", -1)), 1, cts.Token));
    }
}

public class LatticeRescorerWithRealModelsTests
{
    [Fact]
    public void ExpandedArcScoresSumToTheNgramSentenceScore()
    {
        ArpaLanguageModel lm = KneserNeyTrainer.Train(KneserNeyTrainerTests.SyntheticCorpus(300, seed: 4));
        WordLattice lattice = TestLattices.Chains(("TURN ON THE FAN", -5.0), ("TURN ON THE FAN NOW", -6.0), ("TURN OFF MY LAMP", -7.0), ("DIM ZORK", -8.0));
        var rescorer = new LatticeRescorer(lm, new RescoringWeights(0.7, 0.2));
        WordLattice expanded = rescorer.ExpandWithLmScores(lattice);
        IReadOnlyList<RescoredHypothesis> nbest = rescorer.Rescore(lattice, 10);
        Assert.Equal(4, nbest.Count);
        foreach (LatticePath p in expanded.BestPaths(10, 0.7))
        {
            double lmSum = p.Arcs.Sum(a => (double)expanded.Arcs[a].LmScore);
            Assert.Equal(lm.ScoreSentence(p.Words), lmSum, 4);
            RescoredHypothesis h = nbest.Single(x => x.Text == p.Text);
            Assert.Equal(h.LmScore, lmSum, 4);
            Assert.Equal(h.TotalScore, p.Score + 0.2 * p.Words.Count, 4);
        }

        // Non-final arcs carry per-word scores, not the whole sentence: every "TURN" leaving the start has ln P(TURN | <s>).
        LatticeArc[] turns = expanded.Arcs.Where(a => a.From == 0 && a.Word == "TURN").ToArray();
        Assert.Equal(3, turns.Length);
        Assert.All(turns, t => Assert.Equal(lm.LogProbability(["<s>"], "TURN"), t.LmScore, 4));
    }
}
