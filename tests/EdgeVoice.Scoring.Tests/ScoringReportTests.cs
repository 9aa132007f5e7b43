using System.Text.Json;

namespace EdgeVoice.Scoring.Tests;

public sealed class ScoringReportTests
{
    private static ScoringReport Example() => WerScorer.Score(
    [
        ScoringPair.FromText("spk1-u1", "a b c d", "a x c"),
        ScoringPair.FromText("spk2-u1", "", "a b"),
    ]);

    [Fact]
    public void Json_has_the_documented_keys_and_values()
    {
        using var json = JsonDocument.Parse(Example().ToJson());
        var root = json.RootElement;

        Assert.Equal(
            ["utterances", "utterances_with_errors", "words", "corr", "sub", "del", "ins", "errors", "wer", "case_sensitive", "costs", "per_speaker", "alignments"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, root.GetProperty("words").GetInt32());
        Assert.Equal(2, root.GetProperty("corr").GetInt32());
        Assert.Equal(4, root.GetProperty("errors").GetInt32());
        Assert.Equal(100.0, root.GetProperty("wer").GetDouble());
        Assert.Equal(4, root.GetProperty("costs").GetProperty("sub").GetInt32());

        var speakers = root.GetProperty("per_speaker");
        Assert.Equal("spk1", speakers[0].GetProperty("speaker").GetString());
        Assert.Equal(JsonValueKind.Null, speakers[1].GetProperty("wer").ValueKind);

        var first = root.GetProperty("alignments")[0];
        Assert.Equal("spk1-u1", first.GetProperty("id").GetString());
        Assert.Equal("CSCD", first.GetProperty("labels").GetString());
        Assert.Equal(["a", "b", "c", "d"], first.GetProperty("ref").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["a", "x", "c", null], first.GetProperty("hyp").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Json_is_stable_for_the_same_input()
    {
        Assert.Equal(Example().ToJson(), Example().ToJson());
        Assert.DoesNotContain("\n", Example().ToJson(indented: false));
    }

    [Fact]
    public void Columns_pad_words_and_mark_gaps()
    {
        var (reference, hypothesis, labels) = WerScorer.Score([ScoringPair.FromText("s-1", "hello big world", "hello world again")])
            .Utterances[0].ToColumns();

        Assert.Equal("hello big world ***", reference);
        Assert.Equal("hello *** world again", hypothesis);
        Assert.Equal("C     D   C     I", labels);
    }

    [Fact]
    public void Text_report_shows_totals_speakers_and_alignments()
    {
        var text = Example().ToText();

        Assert.Contains("WER 100.00% over 4 reference words in 2 utterances", text);
        Assert.Contains("spk2", text);
        Assert.Contains("n/a", text);
        Assert.Contains("[spk1-u1] speaker spk1: C=2 S=1 D=1 I=0 WER 50.00%", text);
        Assert.Contains("  hyp  a x c ***", text);
        Assert.Contains("  op   C S C D", text);
    }

    [Fact]
    public void Empty_report_has_zero_counts()
    {
        var report = WerScorer.Score(Array.Empty<ScoringPair>());

        Assert.Equal(0, report.Totals.Words);
        Assert.Null(report.Totals.WerPercent);
        Assert.Empty(report.Speakers);
        Assert.Contains("n/a", report.ToText());
    }
}
