namespace EdgeVoice.Asr.Tests;

public sealed class LatticeTests
{
    private static readonly TransducerModel Model = TransducerModel.Load(TinyModel.File);

    private static RecognitionResult BeamResult(int seed = 11, int beam = 8)
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = beam, NBestSize = beam });
        return recognizer.Recognize(TinyModel.Signal(seed: seed), 16000);
    }

    private static RecognizedWord W(string text, int start, int end, double score) => new(text, start, end, 0.04, 0.9f, score);

    private static RecognitionHypothesis H(double score, params RecognizedWord[] words) =>
        new(string.Join(' ', words.Select(w => w.Text)), [], [], [], words, score);

    [Fact]
    public void Best_path_is_the_search_best_hypothesis_and_paths_keep_their_scores()
    {
        foreach (int seed in new[] { 1, 2, 3, 11 })
        {
            RecognitionResult result = BeamResult(seed);
            WordLattice lattice = result.ToLattice("u" + seed);
            IReadOnlyList<LatticePath> paths = lattice.BestPaths(result.NBest.Count);
            Assert.Equal(result.Text, paths[0].Text);
            Assert.Equal(result.Best.Score, paths[0].Score, 3);
            var expected = result.NBest.GroupBy(h => string.Join(' ', h.Words.Select(w => $"{w.Text}@{w.StartFrame}-{w.EndFrame}"))).Select(g => g.Max(h => h.Score)).OrderDescending().ToArray();
            Assert.Equal(expected.Length, paths.Count);
            for (int i = 0; i < paths.Count; i++)
            {
                Assert.Equal(expected[i], paths[i].Score, 3);
            }
        }
    }

    [Fact]
    public void Shared_prefixes_and_suffixes_are_merged()
    {
        var hyps = new[]
        {
            H(-1.0, W("TURN", 0, 5, -0.5), W("ON", 6, 9, -0.2), W("LIGHTS", 10, 20, -0.3)),
            H(-2.0, W("TURN", 0, 5, -0.5), W("OFF", 6, 9, -1.2), W("LIGHTS", 10, 20, -0.3)),
            H(-3.0, W("BURN", 0, 5, -1.5), W("ON", 6, 9, -1.2), W("LIGHTS", 10, 20, -0.3)),
        };
        WordLattice lattice = WordLattice.FromHypotheses(hyps, 0.04, "merge");

        // Trie: 0-TURN-1, 1-ON-2, 1-OFF-3, 0-BURN-4, 4-ON-5, then the three LIGHTS arcs into one end node;
        // after pushing, the LIGHTS suffix (weight 0) is shared by all three paths.
        Assert.Single(lattice.Arcs, a => a.Word == "TURN");
        Assert.Single(lattice.Arcs.Select(a => a.To).Where(t => !float.IsNaN(lattice.FinalWeights[t])).Distinct());
        Assert.True(lattice.NodeCount <= 6, lattice.ToSlf());
        var paths = lattice.BestPaths(5);
        Assert.Equal(["TURN ON LIGHTS", "TURN OFF LIGHTS", "BURN ON LIGHTS"], paths.Select(p => p.Text));
        Assert.Equal([-1.0, -2.0, -3.0], paths.Select(p => Math.Round(p.Score, 5)));
    }

    [Fact]
    public void An_empty_hypothesis_is_a_path_with_no_words()
    {
        WordLattice lattice = WordLattice.FromHypotheses([H(-0.5), H(-4.0, W("A", 1, 3, -4.0))], 0.04);
        var paths = lattice.BestPaths(2);
        Assert.Equal("", paths[0].Text);
        Assert.Equal(-0.5, paths[0].Score, 5);
        Assert.Equal("A", paths[1].Text);
        Assert.Contains("W=!NULL", lattice.ToSlf());
    }

    [Theory]
    [InlineData(LatticeScoreEncoding.ScaledInt16)]
    [InlineData(LatticeScoreEncoding.Float32)]
    public void Binary_round_trip_keeps_structure_and_scores(LatticeScoreEncoding encoding)
    {
        WordLattice lattice = BeamResult().ToLattice("utt-1").WithLmScores(a => -0.25f * a.Word.Length);
        byte[] bytes = lattice.ToBinary(encoding);
        WordLattice back = WordLattice.FromBinary(bytes);
        Assert.Equal(lattice.NodeCount, back.NodeCount);
        Assert.Equal("utt-1", back.Utterance);
        Assert.Equal(0.04, back.FrameDuration, 9);
        double tolerance = encoding == LatticeScoreEncoding.Float32 ? 0 : 0.01;
        for (int i = 0; i < lattice.Arcs.Count; i++)
        {
            LatticeArc a = lattice.Arcs[i], b = back.Arcs[i];
            Assert.Equal((a.From, a.To, a.Word, a.StartFrame, a.EndFrame), (b.From, b.To, b.Word, b.StartFrame, b.EndFrame));
            Assert.True(Math.Abs(a.AcousticScore - b.AcousticScore) <= tolerance);
            Assert.True(Math.Abs(a.LmScore - b.LmScore) <= tolerance);
        }

        Assert.Equal(lattice.BestPaths(3).Select(p => p.Text), back.BestPaths(3).Select(p => p.Text));
    }

    [Fact]
    public void Json_round_trip_is_exact()
    {
        WordLattice lattice = BeamResult().ToLattice("utt-2");
        WordLattice back = WordLattice.FromJson(lattice.ToJson());
        Assert.Equal(lattice.Arcs, back.Arcs);
        Assert.Equal(lattice.FinalWeights, back.FinalWeights);
        Assert.Equal(lattice.ToJson(), back.ToJson());
    }

    [Fact]
    public void Every_corruption_of_the_binary_form_is_a_lattice_format_exception()
    {
        byte[] bytes = BeamResult().ToLattice("utt").ToBinary();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] bad = (byte[])bytes.Clone();
            bad[i] ^= 0x21;
            Assert.Throws<LatticeFormatException>(() => WordLattice.FromBinary(bad));
        }

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<LatticeFormatException>(() => WordLattice.FromBinary(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"edgevoice-lattice\",\"version\":2}")]
    [InlineData("{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"\",\"frame_duration\":0.04,\"nodes\":2,\"final\":[{\"node\":1,\"weight\":0}],\"arcs\":[{\"from\":1,\"to\":0,\"word\":\"A\",\"start_frame\":0,\"end_frame\":1,\"acoustic\":-1,\"lm\":null}]}")]
    [InlineData("{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"\",\"frame_duration\":0.04,\"nodes\":2,\"final\":[],\"arcs\":[]}")]
    [InlineData("{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"\",\"frame_duration\":0.04,\"nodes\":\"two\",\"final\":[],\"arcs\":[]}")]
    [InlineData("{\"format\":\"edgevoice-lattice\",\"version\":1,\"utterance\":\"\",\"frame_duration\":0.04,\"nodes\":9000000,\"final\":[],\"arcs\":[]}")]
    public void Bad_json_is_a_lattice_format_exception(string json) =>
        Assert.Throws<LatticeFormatException>(() => WordLattice.FromJson(json));

    [Fact]
    public void Slf_has_the_htk_header_and_one_link_per_arc()
    {
        WordLattice lattice = BeamResult().ToLattice("utt-3");
        string[] lines = lattice.ToSlf().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("VERSION=1.1", lines[0]);
        Assert.Equal("UTTERANCE=utt-3", lines[1]);
        string counts = lines.Single(l => l.StartsWith("N=", StringComparison.Ordinal));
        int n = int.Parse(counts.Split(' ')[0][2..]), l = int.Parse(counts.Split(' ')[1][2..]);
        Assert.Equal(n, lines.Count(x => x.StartsWith("I=", StringComparison.Ordinal)));
        Assert.Equal(l, lines.Count(x => x.StartsWith("J=", StringComparison.Ordinal)));
        Assert.All(lines.Where(x => x.StartsWith("J=", StringComparison.Ordinal)), x => Assert.Matches(@"^J=\d+ S=\d+ E=\d+ W=\S+ a=\S+ l=\S+$", x));
    }
}
