namespace EdgeVoice.Lm.Tests;

public class RescoringWeightTunerTests
{
    // LM: likes the right sentences, but also likes dropping the last word ("TURN ON THE"), so a large LM weight
    // without an insertion bonus deletes words.
    private static readonly FakeLanguageModel Lm = new(new()
    {
        ["TURN ON THE LIGHTS"] = -4.0,
        ["TURN ON THE LIGHT"] = -9.0,
        ["TURN ON THE"] = -3.0,
        ["SET A TIMER"] = -3.0,
        ["SET A TIME"] = -8.0,
        ["SET A"] = -2.0,
    });

    private static List<TuningExample> Dev() =>
    [
        new(TestLattices.Chains(("TURN ON THE LIGHT", -10.0), ("TURN ON THE LIGHTS", -11.0), ("TURN ON THE", -12.0)), ["TURN", "ON", "THE", "LIGHTS"]),
        new(TestLattices.Chains(("SET A TIME", -5.0), ("SET A TIMER", -6.0), ("SET A", -7.5)), ["SET", "A", "TIMER"]),
    ];

    [Fact]
    public void FindsWeightsThatFixTheAcousticErrors()
    {
        TuningResult r = RescoringWeightTuner.Tune(Lm, Dev());
        Assert.Equal(7, r.ReferenceWords);
        Assert.Equal(100.0 * 2 / 7, r.AcousticWerPercent, 9);
        Assert.Equal(0.0, r.BestWerPercent);
        Assert.Equal(RescoringWeightTuner.DefaultLmWeights.Count * RescoringWeightTuner.DefaultBonuses.Count, r.Grid.Count);
        // Check the chosen weights by rescoring: both utterances come out right.
        var rescorer = new LatticeRescorer(Lm, r.Best);
        foreach (TuningExample e in Dev())
        {
            Assert.Equal(e.Reference, rescorer.Rescore(e.Lattice, 1)[0].Words);
        }

        // LM weight 0 is the acoustic 1-best whatever the bonus... unless the bonus prefers longer paths; with bonus 0 it is.
        Assert.Equal(r.AcousticWerPercent, r.Grid.Single(g => g.Weights == new RescoringWeights(0, 0)).WerPercent, 9);
    }

    [Fact]
    public void TooMuchLmWithoutBonusDeletesWords()
    {
        TuningResult r = RescoringWeightTuner.Tune(Lm, Dev(), lmWeights: [3.0], bonuses: [0.0, 4.0]);
        // Weight 3, bonus 0: "TURN ON THE" (−12 − 9 = −21 vs −11 − 12 = −23) and "SET A" (−7.5 − 6 vs −6 − 9) win: 2 deletions.
        Assert.Equal(100.0 * 2 / 7, r.Grid[0].WerPercent, 9);
        Assert.Equal(0.0, r.Grid[1].WerPercent);
        Assert.Equal(new RescoringWeights(3.0, 4.0), r.Best);
    }

    [Fact]
    public void WeightsFileRoundTripsAndRejectsBadFiles()
    {
        string dir = Directory.CreateTempSubdirectory("lm-weights").FullName;
        try
        {
            Assert.Equal(Path.Combine(dir, "lm-3gram.weights.json"), RescoringWeightsFile.PathFor(Path.Combine(dir, "lm-3gram.arpa.gz")));
            Assert.Equal(Path.Combine(dir, "lm-lstm.weights.json"), RescoringWeightsFile.PathFor(Path.Combine(dir, "lm-lstm.evm")));
            string model = Path.Combine(dir, "lm-lstm.evm");
            Assert.Null(RescoringWeightsFile.TryLoadFor(model));
            RescoringWeightsFile.Save(RescoringWeightsFile.PathFor(model), new RescoringWeights(0.35, 1.25), new Dictionary<string, string> { ["dev"] = "synthetic" });
            Assert.Equal(new RescoringWeights(0.35, 1.25), RescoringWeightsFile.TryLoadFor(model));

            string bad = Path.Combine(dir, "bad.weights.json");
            File.WriteAllText(bad, "{\"lm_weight\": 0.5}");
            Assert.Contains("'word_insertion_bonus' is missing", Assert.Throws<LanguageModelFormatException>(() => RescoringWeightsFile.Load(bad)).Message);
            File.WriteAllText(bad, "{\"lm_weight\": -0.5, \"word_insertion_bonus\": 0}");
            Assert.Contains("LmWeight -0.5", Assert.Throws<LanguageModelFormatException>(() => RescoringWeightsFile.Load(bad)).Message);
            File.WriteAllText(bad, "not json");
            Assert.Contains("not valid JSON", Assert.Throws<LanguageModelFormatException>(() => RescoringWeightsFile.Load(bad)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => RescoringWeightTuner.Tune(Lm, []));
        Assert.Throws<ArgumentException>(() => RescoringWeightTuner.Tune(Lm, Dev(), lmWeights: []));
        Assert.Throws<ArgumentException>(() => RescoringWeightTuner.Tune(Lm, Dev(), lmWeights: [-1.0]));
    }
}
