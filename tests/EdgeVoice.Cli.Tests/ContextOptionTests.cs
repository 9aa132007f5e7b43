namespace EdgeVoice.Cli.Tests;

/// <summary>--context on transcribe, stream and eval with the repository's default model.</summary>
public sealed class ContextOptionTests
{
    private static string Wav => CliRun.Sample("kitchen-lights.wav");

    [Fact]
    public void Transcribe_with_a_heavily_boosted_phrase_prints_it()
    {
        // A boost of 20 per token outweighs any acoustic evidence: the output must spell the phrase.
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("names.txt"), ["PLAY JAZZ\t20", "", "SIOBHAN O'MALLEY"]);
        var run = CliRun.Invoke("transcribe", Wav, "--context", temp.File("names.txt"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("PLAY JAZZ", run.Output.Trim());
    }

    [Fact]
    public void Stream_and_eval_take_a_context()
    {
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("names.txt"), ["PLAY JAZZ\t20"]);
        var stream = CliRun.Invoke("stream", "--file", Wav, "--context", temp.File("names.txt"), "--beam", "2");
        Assert.True(stream.ExitCode == 0, stream.Error);
        Assert.Contains("final: PLAY JAZZ", stream.Output);

        File.Copy(Wav, temp.File("a.wav"));
        File.WriteAllLines(temp.File("manifest.jsonl"), ["{\"id\": \"u1\", \"audio\": \"a.wav\", \"text\": \"PLAY JAZZ\"}"]);
        var eval = CliRun.Invoke("eval", temp.File("manifest.jsonl"), "--context", temp.File("names.txt"), "--hyp-out", temp.File("hyp.jsonl"));
        Assert.True(eval.ExitCode == 0, eval.Error);
        Assert.Contains("PLAY JAZZ", File.ReadAllText(temp.File("hyp.jsonl")));
    }

    [Fact]
    public void A_bad_boost_or_a_missing_file_is_one_line_naming_it()
    {
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("names.txt"), ["ALICE", "BOB\tlots"]);
        var bad = CliRun.Invoke("transcribe", Wav, "--context", temp.File("names.txt"));
        Assert.Equal(CliErrors.InputError, bad.ExitCode);
        Assert.Single(bad.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("names.txt:2", bad.Error);

        var missing = CliRun.Invoke("transcribe", Wav, "--context", temp.File("none.txt"));
        Assert.Equal(CliErrors.IoError, missing.ExitCode);
        Assert.Contains("none.txt", missing.Error);
    }
}

public sealed class CloudOptionTests
{
    [Fact]
    public void Cloud_needs_an_http_address_and_a_key()
    {
        string sample = CliRun.Sample("kitchen-lights.wav");
        var badUrl = CliRun.Invoke("transcribe", sample, "--cloud", "ftp://example", "--cloud-key", "k");
        Assert.Equal(CliErrors.UsageError, badUrl.ExitCode);
        Assert.Contains("http://", badUrl.Error);
        if (Environment.GetEnvironmentVariable(CloudCliOptions.KeyVariable) is null)
        {
            var noKey = CliRun.Invoke("transcribe", sample, "--cloud", "http://127.0.0.1:1");
            Assert.Equal(CliErrors.UsageError, noKey.ExitCode);
            Assert.Contains("--cloud-key", noKey.Error);
        }

        var unreachable = CliRun.Invoke("transcribe", sample, "--cloud", "http://127.0.0.1:1", "--cloud-key", "k");
        Assert.Equal(CliErrors.InputError, unreachable.ExitCode);
        Assert.Contains("cannot be reached", unreachable.Error);
    }
}

public sealed class TuneLmCommandTests
{
    [Fact]
    public void Tunes_weights_on_lattices_of_a_manifest_and_refuses_bad_options()
    {
        using var temp = new TempDirectory();
        File.Copy(CliRun.Sample("kitchen-lights.wav"), temp.File("a.wav"));
        File.WriteAllLines(temp.File("dev.jsonl"), ["{\"id\": \"s-1\", \"audio\": \"a.wav\", \"text\": \"TURN ON THE KITCHEN LIGHTS\"}"]);
        var run = CliRun.Invoke("tune-lm", temp.File("dev.jsonl"), "--lm", Path.Combine(CliRun.RepositoryRoot(), "models", "lm-3gram.arpa.gz"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 lattices, 5 words: device 1-best WER", run.Output);
        Assert.Equal(CliErrors.UsageError, CliRun.Invoke("tune-lm", temp.File("dev.jsonl"), "--every", "0").ExitCode);
    }
}
