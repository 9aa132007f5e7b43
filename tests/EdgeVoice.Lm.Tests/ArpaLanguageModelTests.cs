using System.IO.Compression;

namespace EdgeVoice.Lm.Tests;

public class ArpaLanguageModelTests
{
    private const string Small = """
        some header text that readers skip

        \data\
        ngram 1=5
        ngram 2=3

        \1-grams:
        -1.0	<s>	-0.5
        -0.7	</s>
        -0.5	A	-0.3
        -0.9	B
        -2.0	<unk>

        \2-grams:
        -0.2	<s> A
        -0.4	A B
        -0.1	B </s>

        \end\
        """;

    [Fact]
    public void BackOffFollowsTheArpaRule()
    {
        ArpaLanguageModel lm = ArpaLanguageModel.Parse(new StringReader(Small), "small.arpa");
        double ln10 = Math.Log(10);
        Assert.Equal(-0.2 * ln10, lm.LogProbability(["<s>"], "A"), 6);                // listed bigram
        Assert.Equal((-0.5 + -0.9) * ln10, lm.LogProbability(["<s>"], "B"), 6);       // back-off(<s>) + P(B)
        Assert.Equal(-0.9 * ln10, lm.LogProbability(["B"], "B"), 6);                  // context B has no back-off: 0
        Assert.Equal((-0.3 + -0.7) * ln10, lm.LogProbability(["A"], "</s>"), 6);
        Assert.Equal((-0.5 - 2.0) * ln10, lm.LogProbability(["<s>"], "ZEBRA"), 6);     // OOV → <unk>
        // <s> A B </s>: -0.2 − 0.4 − 0.1.
        Assert.Equal(-0.7 * ln10, lm.ScoreSentence(["A", "B"]), 6);
        var scores = new double[3];
        lm.ScoreWords(["A", "B"], scores);
        Assert.Equal(-0.2 * ln10, scores[0], 6);
        Assert.Equal(-0.4 * ln10, scores[1], 6);
        Assert.Equal(-0.1 * ln10, scores[2], 6);
        Assert.Equal(2, lm.Order);
        Assert.Equal([5, 3], lm.NgramCounts);
    }

    [Fact]
    public void PerplexityCountsOovsLikeSrilm()
    {
        ArpaLanguageModel lm = ArpaLanguageModel.Parse(new StringReader(Small));
        PerplexityResult r = lm.Perplexity([["A", "B"], ["A", "ZEBRA"]]);
        Assert.Equal(2, r.Sentences);
        Assert.Equal(3, r.Words);
        Assert.Equal(1, r.Oovs);
        double ln10 = Math.Log(10);
        // Sentence 2: A | <s> = −0.2; ZEBRA (OOV, left out); </s> | <unk> = P(</s>) = −0.7.
        double expected = (-0.7 - 0.2 - 0.7) * ln10;
        Assert.Equal(expected, r.LogProb, 6);
        Assert.Equal(Math.Exp(-expected / 5), r.Perplexity, 6);
        Assert.Equal((-0.3 - 2.0) * ln10, r.OovLogProb, 6);
    }

    [Fact]
    public void WriteThenReadGivesTheSameScores()
    {
        List<string[]> corpus = KneserNeyTrainerTests.SyntheticCorpus(300, seed: 3);
        ArpaLanguageModel lm = KneserNeyTrainer.Train(corpus, new KneserNeyOptions { Order = 3 });
        var text = new StringWriter();
        lm.Write(text);
        ArpaLanguageModel back = ArpaLanguageModel.Parse(new StringReader(text.ToString()), "round-trip");
        Assert.Equal(lm.NgramCounts, back.NgramCounts);
        string[][] probes = [["TURN", "ON", "THE", "LIGHTS"], ["DIM", "MY", "LAMP", "PLEASE", "NOW"], ["UNKNOWN", "THE", "FAN"], []];
        foreach (string[] s in corpus.Take(50).Concat(probes))
        {
            Assert.Equal(lm.ScoreSentence(s), back.ScoreSentence(s));
        }

        // Written again, the text is identical.
        var again = new StringWriter();
        back.Write(again);
        Assert.Equal(text.ToString(), again.ToString());
    }

    [Fact]
    public void GzippedFilesLoad()
    {
        string dir = Directory.CreateTempSubdirectory("lm-test").FullName;
        try
        {
            ArpaLanguageModel lm = KneserNeyTrainer.Train(KneserNeyTrainerTests.SyntheticCorpus(100, seed: 5));
            string gz = Path.Combine(dir, "lm.arpa.gz");
            lm.Save(gz);
            using (var stream = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
            {
                Assert.StartsWith("\\data\\", new StreamReader(stream).ReadToEnd());
            }

            ArpaLanguageModel back = ArpaLanguageModel.Load(gz);
            Assert.Equal(lm.ScoreSentence(["SET", "THE", "FAN"]), back.ScoreSentence(["SET", "THE", "FAN"]));
            Assert.Equal("lm.arpa.gz", back.Name);

            string corrupt = Path.Combine(dir, "bad.arpa.gz");
            File.WriteAllBytes(corrupt, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
            var e = Assert.ThrowsAny<Exception>(() => ArpaLanguageModel.Load(corrupt));
            Assert.Contains("bad.arpa.gz", e.Message);
            Assert.Throws<FileNotFoundException>(() => ArpaLanguageModel.Load(Path.Combine(dir, "missing.arpa")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ModelWithoutUnknownGetsOne()
    {
        string text = Small.Replace("ngram 1=5", "ngram 1=4").Replace("-2.0\t<unk>\n", "");
        ArpaLanguageModel lm = ArpaLanguageModel.Parse(new StringReader(text));
        Assert.True(lm.UnknownWasAdded);
        Assert.False(lm.Contains("<unk>"));
        Assert.Equal(-100 * Math.Log(10), lm.LogProbability([], "ZEBRA"), 4);
        var written = new StringWriter();
        lm.Write(written);
        Assert.DoesNotContain("<unk>", written.ToString());
    }

    [Theory]
    [InlineData("", 0, "no \\data\\")]
    [InlineData("\\data\\\n\\1-grams:\n", 2, "declares no n-gram counts")]
    [InlineData("\\data\\\nngram 2=1\n", 2, "expected the count of 1-grams")]
    [InlineData("\\data\\\nngram 1=x\n", 2, "expected 'ngram N=count'")]
    [InlineData("\\data\\\nngram 1=2\n\\2-grams:\n", 3, "expected '\\1-grams:'")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-0.5 </s> -0.1 -3\n\\end\\\n", 5, "found 4 fields")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\nabc </s>\n\\end\\\n", 5, "'abc' is not a finite number")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n0.5 </s>\n\\end\\\n", 5, "is positive")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 <s>\n\\end\\\n", 5, "listed twice")]
    [InlineData("\\data\\\nngram 1=3\n\\1-grams:\n-1 <s>\n-1 </s>\n\\end\\\n", 6, "declares 3 1-grams but the section has 2")]
    [InlineData("\\data\\\nngram 1=2\nngram 2=1\n\\1-grams:\n-1 <s>\n-1 </s>\n\\2-grams:\n-1 <s> X\n\\end\\\n", 8, "'X' of this 2-gram is not a unigram")]
    [InlineData("\\data\\\nngram 1=2\nngram 2=1\n\\1-grams:\n-1 <s>\n-1 </s>\n\\2-grams:\n-1 <s> </s> -0.5\n\\end\\\n", 8, "highest order")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 </s>\n", 6, "without '\\end\\'")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 </s>\n\\3-grams:\n", 6, "expected '\\end\\'")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 A\n\\end\\\n", 0, "lack </s>")]
    [InlineData("\\data\\\nngram 1=1\n\\1-grams:\n-inf <s>\n\\end\\\n", 4, "not a finite number")]
    public void MalformedFilesNameTheLineAndTheProblem(string text, int line, string problem)
    {
        var e = Assert.Throws<LanguageModelFormatException>(() => ArpaLanguageModel.Parse(new StringReader(text), "bad.arpa"));
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith("bad.arpa", e.Message);
    }

    [Fact]
    public void ScoringIsThreadSafe()
    {
        ArpaLanguageModel lm = KneserNeyTrainer.Train(KneserNeyTrainerTests.SyntheticCorpus(300, seed: 11));
        List<string[]> probes = KneserNeyTrainerTests.SyntheticCorpus(200, seed: 12);
        double[] expected = probes.Select(p => lm.ScoreSentence(p)).ToArray();
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < probes.Count; i++)
            {
                Assert.Equal(expected[i], lm.ScoreSentence(probes[i]));
            }
        });
    }
}
