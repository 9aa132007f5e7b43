using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeVoice.Lm.Tests;

public class LstmLanguageModelTests
{
    private static readonly Lazy<LstmLanguageModel> Model = new(() => LstmLanguageModel.Load(RepoPaths.Get("models", "lm-lstm.evm")));

    private static JsonElement Golden()
    {
        string path = RepoPaths.Get("tests", "EdgeVoice.Lm.Tests", "golden", "lm-lstm.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    [Fact]
    public void MatchesPyTorchWithin1e4()
    {
        JsonElement golden = Golden();
        Assert.Equal(1, golden.GetProperty("version").GetInt32());
        string regenerate = golden.GetProperty("regenerate").GetString()!;
        LstmLanguageModel lm = Model.Value;
        foreach (JsonElement c in golden.GetProperty("cases").EnumerateArray())
        {
            string text = c.GetProperty("text").GetString()!;
            string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int[] ids = c.GetProperty("piece_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.True(ids.SequenceEqual(lm.Encode(words)), $"'{text}': pieces {string.Join(',', lm.Encode(words))}, PyTorch {string.Join(',', ids)}; if the model changed: {regenerate}");
            double[] expected = c.GetProperty("piece_log_probs").EnumerateArray().Select(e => e.GetDouble()).Append(c.GetProperty("end_log_prob").GetDouble()).ToArray();
            double[] actual = lm.PieceLogProbabilities(ids);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"'{text}' piece {i}: C# {actual[i]}, PyTorch {expected[i]}; if the model changed: {regenerate}");
            }

            double[] perWord = new double[words.Length + 1];
            lm.ScoreWords(words, perWord);
            double[] expectedWords = c.GetProperty("word_log_probs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int w = 0; w < words.Length; w++)
            {
                Assert.True(Math.Abs(expectedWords[w] - perWord[w]) < 1e-4, $"'{text}' word {w}: C# {perWord[w]}, PyTorch {expectedWords[w]}");
            }

            double sentence = c.GetProperty("sentence_log_prob").GetDouble();
            Assert.True(Math.Abs(sentence - lm.ScoreSentence(words)) < 1e-4, $"'{text}': C# {lm.ScoreSentence(words)}, PyTorch {sentence}");
        }
    }

    [Fact]
    public void PrefixTreeBatchEqualsOneByOne()
    {
        LstmLanguageModel lm = Model.Value;
        string[][] sentences =
        [
            ["TURN", "ON", "THE", "LIGHTS"], ["TURN", "ON", "THE", "LIGHT"], ["TURN", "ON", "THE", "LIGHTS", "PLEASE"],
            ["TURN", "OFF", "THE", "LIGHTS"], ["TURN"], [], ["SET", "A", "TIMER", "FOR", "TEN", "MINUTES"], ["TURN", "ON", "THE", "LIGHTS"],
        ];
        IReadOnlyList<double> batch = lm.ScoreSentences(sentences);
        for (int i = 0; i < sentences.Length; i++)
        {
            Assert.Equal(lm.ScoreSentence(sentences[i]), batch[i], 4);
            var words = new double[sentences[i].Length + 1];
            lm.ScoreWords(sentences[i], words);
            Assert.Equal(batch[i], words.Sum(), 4);
        }

        Assert.Equal(batch[0], batch[^1]);
        // The domain model prefers a well-formed command to a scrambled one.
        Assert.True(lm.ScoreSentence(["TURN", "ON", "THE", "LIGHTS"]) > lm.ScoreSentence(["LIGHTS", "THE", "ON", "TURN"]) + 5);
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameScores()
    {
        LstmLanguageModel lm = Model.Value;
        List<string[]> probes = KneserNeyTrainerTests.SyntheticCorpus(40, seed: 21);
        double[] expected = probes.Select(p => lm.ScoreSentence(p)).ToArray();
        Parallel.For(0, 6, t =>
        {
            IReadOnlyList<double> got = lm.ScoreSentences(probes);
            for (int i = 0; i < probes.Count; i++)
            {
                Assert.Equal(expected[i], got[i], 4);
            }
        });
    }

    [Fact]
    public void TokenizerFollowsSentencepiece()
    {
        // A toy model: the best segmentation wins, unknown runs merge, control pieces never match.
        var tok = new UnigramTokenizer(["<unk>", "<s>", "</s>", "▁AB", "▁A", "B", "C", "▁"], [0, 0, 0, -1, -3, -3, -2, -4], 0, [1, 2]);
        var ids = new List<int>();
        tok.EncodeWord("AB", ids);
        Assert.Equal([3], ids);
        ids.Clear();
        tok.EncodeWord("ABC", ids);
        Assert.Equal([3, 6], ids);
        ids.Clear();
        tok.EncodeWord("ÜÜC", ids);
        Assert.Equal([7, 0, 6], ids);
        ids.Clear();
        tok.EncodeWord("<s>", ids);
        Assert.DoesNotContain(1, ids);
        Assert.Throws<ArgumentException>(() => new UnigramTokenizer(["<unk>", "a", "a"], [0, 0, 0], 0, []));
        Assert.Throws<ArgumentException>(() => new UnigramTokenizer(["a", "b"], [0, float.NaN], 0, []));
    }

    [Fact]
    public void ModelFileProblemsAreNamed()
    {
        string dir = Directory.CreateTempSubdirectory("lm-model").FullName;
        try
        {
            var good = JsonNode.Parse(GoodMetadata())!;
            (string, int[], float[])[] tensors = Tensors(v: 4, e: 2, h: 3);
            string path = Path.Combine(dir, "tiny.evm");
            TestModelFileWriter.Write(path, good.ToJsonString(), tensors);
            LstmLanguageModel tiny = LstmLanguageModel.Load(path);
            Assert.Equal(4, tiny.VocabularySize);
            Assert.Equal(new RescoringWeights(0.3, 1.5), tiny.TunedWeights);
            double s = tiny.ScoreSentence(["AB"]);
            Assert.True(double.IsFinite(s) && s < 0);

            Expect(good.ToJsonString().Replace("lstm-lm-v1", "convrnnt-v1"), tensors, "not an LSTM language model");
            Expect(good.ToJsonString().Replace("\"hidden_size\":3", "\"hidden_size\":5"), tensors, "lstm.weight_hh_l0' has shape [12, 3], expected [20, 5]");
            Expect(good.ToJsonString(), tensors[..^1], "tensor 'out.bias' is missing");
            Expect(good.ToJsonString(), [.. tensors, ("extra", [1], [0f])], "unexpected tensor 'extra'");
            Expect(good.ToJsonString().Replace("\"upper\"", "\"lower\""), tensors, "tokenizer.case is 'lower'");
            Expect(good.ToJsonString().Replace("\"vocab_size\":4", "\"vocab_size\":5"), Tensors(5, 2, 3), "4 pieces and 4 scores for vocab_size 5");
            Expect(good.ToJsonString().Replace("\"lm_weight\":0.3", "\"lm_weight\":-1"), tensors, "LmWeight -1");
            Expect("{\"architecture\": 7}", tensors, "architecture is '', not 'lstm-lm-v1'");
            Expect("[1, 2]", tensors, "not a JSON object");
        }
        finally
        {
            Directory.Delete(dir, true);
        }

        void Expect(string meta, (string, int[], float[])[] tensors, string problem)
        {
            string path = Path.Combine(dir, "bad.evm");
            TestModelFileWriter.Write(path, meta, tensors);
            var e = Assert.Throws<LanguageModelFormatException>(() => LstmLanguageModel.Load(path));
            Assert.True(e.Message.Contains(problem, StringComparison.Ordinal), $"expected '{problem}' in: {e.Message}");
            Assert.Contains("bad.evm", e.Message);
        }
    }

    private static string GoodMetadata() => """
        {"architecture":"lstm-lm-v1","name":"tiny","model":{"vocab_size":4,"embed_dim":2,"hidden_size":3,"layers":1},
         "tokenizer":{"type":"sentencepiece-unigram","case":"upper","unk_id":0,"bos_id":1,"eos_id":2,
                      "pieces":["<unk>","<s>","</s>","▁AB"],"scores":[0,0,0,-1]},
         "rescoring":{"lm_weight":0.3,"word_insertion_bonus":1.5}}
        """;

    private static (string, int[], float[])[] Tensors(int v, int e, int h)
    {
        var rng = new Random(1);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        return
        [
            ("embed.weight", [v, e], R(v * e)), ("lstm.weight_ih_l0", [4 * h, e], R(4 * h * e)), ("lstm.weight_hh_l0", [4 * h, h], R(4 * h * h)),
            ("lstm.bias_ih_l0", [4 * h], R(4 * h)), ("lstm.bias_hh_l0", [4 * h], R(4 * h)), ("out.weight", [v, h], R(v * h)), ("out.bias", [v], R(v)),
        ];
    }
}
