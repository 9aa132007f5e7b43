using EdgeVoice.Asr.Biasing;

namespace EdgeVoice.Asr.Tests.Biasing;

public sealed class BiasedBeamSearchTests
{
    private static readonly TransducerModel Model = TransducerModel.Load(TinyModel.File);

    private static readonly Recognizer Beam = new(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 4 });

    [Fact]
    public void A_boosted_competitor_overtakes_the_best_hypothesis()
    {
        float[] signal = TinyModel.Signal(seconds: 2);
        RecognitionResult plain = Beam.Recognize(signal, 16000);
        Assert.True(plain.NBest.Count >= 2);
        RecognitionHypothesis competitor = plain.NBest[1];
        Assert.NotEqual(plain.Best.TokenIds, competitor.TokenIds);

        ContextGraph context = ContextGraph.FromTokens([(competitor.TokenIds.ToArray(), 3f)]);
        RecognitionResult biased = Beam.Recognize(signal, 16000, context);
        Assert.Equal(competitor.TokenIds, biased.TokenIds);

        // The reported score keeps the bonus of the completed phrase: the competitor's score plus 3 per token.
        Assert.Equal(competitor.Score + (3.0 * competitor.TokenIds.Count), biased.Best.Score, 2);
    }

    [Fact]
    public void An_unfinished_match_loses_its_bonus_in_the_result()
    {
        float[] signal = TinyModel.Signal(seconds: 2);
        RecognitionResult plain = Beam.Recognize(signal, 16000);
        int[] best = plain.Best.TokenIds.ToArray();
        Assert.NotEmpty(best);

        // A phrase that continues the best hypothesis with a token it never emits: partial bonus only, given back.
        int extra = Enumerable.Range(2, TinyModel.Vocab - 2).First(t => t != best[^1]);
        int[] longer = [.. best, extra, extra, extra, extra];
        ContextGraph context = ContextGraph.FromTokens([(longer, 0.01f)]);
        RecognitionResult biased = Beam.Recognize(signal, 16000, context);
        Assert.Equal(plain.Text, biased.Text);
        Assert.Equal(plain.Best.Score, biased.Best.Score, 2);
    }

    [Fact]
    public void Strongly_boosted_phrases_that_never_complete_do_not_push_the_best_path_out_of_the_beam()
    {
        float[] signal = TinyModel.Signal(seconds: 2);
        RecognitionResult plain = Beam.Recognize(signal, 16000);

        // Every token starts a phrase with a large bonus, and every phrase is longer than the 50 tokens that 2 s
        // (50 frames, at most one token each) can hold, so no phrase completes: all partial bonuses are given back.
        // Half-matched hypotheses outscore the rest at every step; the search must still keep the candidate that
        // is best once the open matches are given back, and end on the plain result.
        int[] best = plain.Best.TokenIds.ToArray();
        int never = Enumerable.Range(1, TinyModel.Vocab - 1).First(t => !best.Contains(t));
        var phrases = Enumerable.Range(1, TinyModel.Vocab - 1).Where(t => t != never).Select(t => (new[] { t }.Concat(Enumerable.Repeat(never, 60)).ToArray(), 8f));
        RecognitionResult biased = Beam.Recognize(signal, 16000, ContextGraph.FromTokens(phrases));
        Assert.Equal(plain.Text, biased.Text);
    }

    [Fact]
    public void A_limit_on_the_acoustic_cost_of_biasing_decides_between_the_plain_and_the_boosted_reading()
    {
        float[] signal = TinyModel.Signal(seconds: 2);
        RecognitionResult plain = Beam.Recognize(signal, 16000);
        RecognitionHypothesis competitor = plain.NBest[1];
        double gap = plain.Best.Score - competitor.Score;
        Assert.True(gap > 0.01, $"the tiny model's two best readings should differ in score (gap {gap})");
        ContextGraph context = ContextGraph.FromTokens([(competitor.TokenIds.ToArray(), 3f)]);

        // Within the limit the boosted competitor wins, as without one; beyond it the plain best comes back.
        var generous = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 4, BiasMaxAcousticLoss = (float)gap + 0.5f });
        Assert.Equal(competitor.TokenIds, generous.Recognize(signal, 16000, context).TokenIds);
        var strict = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 4, BiasMaxAcousticLoss = (float)gap / 2 });
        Assert.Equal(plain.Best.TokenIds, strict.Recognize(signal, 16000, context).TokenIds);
    }

    [Fact]
    public void Completed_phrases_that_fill_the_beam_do_not_push_out_the_unbiased_reading()
    {
        float[] signal = TinyModel.Signal(seconds: 2);
        RecognitionResult plain = Beam.Recognize(signal, 16000);

        // Every token the plain result does not use is a one-token phrase with a large bonus: inserting them completes
        // phrases (bonuses kept), so at every step biased hypotheses outscore the rest. The search still keeps the best
        // readings by acoustic score, and with no acoustic cost allowed the result is the plain one.
        int[] best = plain.Best.TokenIds.ToArray();
        var phrases = Enumerable.Range(1, TinyModel.Vocab - 1).Where(t => !best.Contains(t)).Select(t => (new[] { t }, 6f)).ToList();
        ContextGraph context = ContextGraph.FromTokens(phrases);
        RecognitionResult unlimited = Beam.Recognize(signal, 16000, context);
        Assert.NotEqual(plain.Best.TokenIds, unlimited.TokenIds);
        var strict = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 4, BiasMaxAcousticLoss = 0f });
        RecognitionResult limited = strict.Recognize(signal, 16000, context);
        Assert.Equal(plain.Best.TokenIds, limited.TokenIds);
    }

    [Fact]
    public void Streams_take_their_own_context_and_greedy_search_refuses_one()
    {
        ContextGraph context = Beam.CreateContext([new ContextPhrase("a b"), new ContextPhrase("g h", 2f)]);
        Assert.Equal(2, context.PhraseCount);
        using RecognitionStream biased = Beam.CreateStream(context);
        using RecognitionStream plain = Beam.CreateStream();
        Assert.Same(context, biased.Context);
        Assert.Null(plain.Context);

        var greedy = new Recognizer(Model, new RecognizerOptions());
        var error = Assert.Throws<ArgumentException>(() => greedy.CreateStream(context));
        Assert.Contains("ModifiedBeamSearch", error.Message);
        var tooBig = ContextGraph.FromTokens([([TinyModel.Vocab + 3], 1f)]);
        Assert.Contains("build it with this model's encoder", Assert.Throws<ArgumentException>(() => Beam.CreateStream(tooBig)).Message);
    }
}
