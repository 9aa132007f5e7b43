namespace EdgeVoice.Scoring.Tests;

public sealed class TrnFileTests
{
    private static IReadOnlyList<TrnUtterance> Parse(string text) => TrnFile.Parse(new StringReader(text), "test.trn");

    private static TrnFormatException ParseFails(string text) => Assert.Throws<TrnFormatException>(() => Parse(text));

    [Fact]
    public void Reads_words_id_and_speaker()
    {
        var utterances = Parse("hello  world\t(spk1-0001)\n(spk1-0002)\n");

        Assert.Equal(2, utterances.Count);
        Assert.Equal("spk1-0001", utterances[0].Id);
        Assert.Equal("spk1", utterances[0].Speaker);
        Assert.Equal(["hello", "world"], utterances[0].Words);
        Assert.Equal(1, utterances[0].SourceLine);
        Assert.Equal("test.trn", utterances[0].SourceFile);
        Assert.Empty(utterances[1].Words);
    }

    [Fact]
    public void Skips_comment_lines_and_keeps_line_numbers()
    {
        var utterances = Parse(";; a comment\na b (x-1)\r\n");

        Assert.Equal(2, Assert.Single(utterances).SourceLine);
    }

    [Theory]
    [InlineData("spk1-0001", "spk1")]
    [InlineData("spk2_x-u3", "spk2_x")]
    [InlineData("spk3_u1", "spk3")]
    [InlineData("a_b_c", "a")]
    [InlineData("a-b-c", "a")]
    public void Speaker_is_the_part_before_the_first_dash_else_the_first_underscore(string id, string speaker) =>
        Assert.Equal(speaker, TrnFile.SpeakerOf(id));

    [Theory]
    [InlineData("noseparator")]
    [InlineData("-leading")]
    [InlineData("_leading")]
    public void Speaker_rule_rejects_ids_without_a_speaker_part(string id) =>
        Assert.Throws<ArgumentException>(() => TrnFile.SpeakerOf(id));

    [Fact]
    public void Blank_line_names_file_and_line()
    {
        var error = ParseFails("a (s-1)\n   \nb (s-2)\n");

        Assert.Equal("test.trn", error.SourceName);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("blank line", error.Message);
        Assert.StartsWith("test.trn:2:", error.Message);
    }

    [Theory]
    [InlineData("a b c", "missing utterance id")]
    [InlineData("a b c)", "no '('")]
    [InlineData("a b (s-1) extra", "missing utterance id")]
    [InlineData("a b ()", "invalid utterance id")]
    [InlineData("a b (s 1)", "invalid utterance id")]
    [InlineData("a b (nospeaker)", "neither '-' nor '_'")]
    [InlineData("a @ b (s-1)", "unsupported token '@'")]
    [InlineData("a (um) b (s-1)", "unsupported token")]
    [InlineData("{ a / b } (s-1)", "unsupported token")]
    public void Malformed_line_is_rejected_with_the_problem(string line, string problem)
    {
        var error = ParseFails("ok (s-0)\n" + line + "\n");

        Assert.Equal(2, error.LineNumber);
        Assert.Contains(problem, error.Problem);
    }

    [Fact]
    public void Duplicate_id_names_both_lines()
    {
        var error = ParseFails("a (s-1)\nb (s-2)\nc (s-1)\n");

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("duplicate utterance id 's-1'", error.Problem);
        Assert.Contains("line 1", error.Problem);
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgevoice-trn-{Guid.NewGuid():N}.trn");
        try
        {
            TrnUtterance[] written = [new("s-1", "s", ["a", "B"]), new("t_2", "t", [])];
            TrnFile.Write(path, written);

            var read = TrnFile.Read(path);

            Assert.Equal("a B (s-1)\n(t_2)\n", File.ReadAllText(path));
            Assert.Equal(written.Select(u => u.ToString()), read.Select(u => u.ToString()));
            Assert.Equal(["s", "t"], read.Select(u => u.Speaker));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_reported_by_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TrnFile.Read("/nonexistent/ref.trn"));

        Assert.Contains("/nonexistent/ref.trn", error.Message);
    }
}
