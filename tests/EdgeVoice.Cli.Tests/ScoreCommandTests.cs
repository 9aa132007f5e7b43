using System.Text.Json;

namespace EdgeVoice.Cli.Tests;

public sealed class ScoreCommandTests
{
    [Fact]
    public void JsonReportCountsErrors()
    {
        using var temp = new TempDirectory();
        var reference = temp.File("ref.trn");
        var hypothesis = temp.File("hyp.trn");
        File.WriteAllLines(reference, ["turn on the kitchen lights (spk1-utt1)", "call mom (spk2-utt2)"]);
        File.WriteAllLines(hypothesis, ["TURN ON THE KITCHEN LIGHT (spk1-utt1)", "call my mom (spk2-utt2)"]);

        var run = CliRun.Invoke("score", "--ref", reference, "--hyp", hypothesis, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var text = json.RootElement.ToString();
        Assert.Contains("\"sub\"", text);
        Assert.Contains("\"ins\"", text);
        Assert.Contains("\"wer\"", text);
        Assert.Contains("spk1", text);
    }

    [Fact]
    public void TextReportNamesWer()
    {
        using var temp = new TempDirectory();
        var reference = temp.File("ref.trn");
        File.WriteAllLines(reference, ["a b c (s-1)"]);

        var run = CliRun.Invoke("score", "--ref", reference, "--hyp", reference);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("WER", run.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MalformedTrnIsAnInputErrorNamingTheFileAndLine()
    {
        using var temp = new TempDirectory();
        var reference = temp.File("ref.trn");
        var hypothesis = temp.File("bad.trn");
        File.WriteAllLines(reference, ["a b c (s-1)"]);
        File.WriteAllLines(hypothesis, ["a b c without an id"]);

        var run = CliRun.Invoke("score", "--ref", reference, "--hyp", hypothesis);

        Assert.Equal(CliErrors.InputError, run.ExitCode);
        Assert.Contains("bad.trn", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
