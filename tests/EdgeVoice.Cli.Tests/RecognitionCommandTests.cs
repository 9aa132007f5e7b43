using System.Text.Json;

namespace EdgeVoice.Cli.Tests;

/// <summary>transcribe, stream and eval with the repository's default model (models/*.evm).</summary>
public sealed class RecognitionCommandTests
{
    private static string Wav => CliRun.Sample("kitchen-lights.wav");

    private static string Model => RecognizerCliOptions.FindDefaultModel();

    [Fact]
    public void Transcribe_uses_the_default_model_without_flags()
    {
        var run = CliRun.Invoke("transcribe", Wav);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(""));
    }

    [Fact]
    public void Transcribe_json_has_words_tokens_and_nbest_and_writes_a_lattice()
    {
        using var temp = new TempDirectory();
        string slf = temp.File("out.slf");
        var run = CliRun.Invoke("transcribe", Wav, "--beam", "4", "--nbest", "3", "--json", "--lattice", slf, "--model", Model);
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        foreach (string key in new[] { "text", "words", "tokens", "nbest", "rtf", "duration" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.InRange(json.RootElement.GetProperty("nbest").GetArrayLength(), 1, 3);
        string[] lines = File.ReadAllLines(slf);
        Assert.Equal("VERSION=1.1", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("N=", StringComparison.Ordinal));
    }

    [Fact]
    public void Raw_input_at_another_rate_is_accepted()
    {
        var pcm = new byte[8000 * 2];
        var run = CliRun.InvokeWithInput(pcm, "transcribe", "-", "--raw", "--sample-rate", "8000");
        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public void A_missing_model_is_one_line_and_an_input_error()
    {
        var run = CliRun.Invoke("transcribe", Wav, "--model", "/nonexistent/model.evm");
        Assert.Equal(CliErrors.IoError, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("model.evm", run.Error);
    }

    [Fact]
    public void A_corrupt_model_is_one_line_naming_the_problem()
    {
        using var temp = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Model);
        bytes[bytes.Length / 3] ^= 0x40;
        File.WriteAllBytes(temp.File("bad.evm"), bytes);
        var run = CliRun.Invoke("transcribe", Wav, "--model", temp.File("bad.evm"));
        Assert.Equal(CliErrors.InputError, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("corrupt", run.Error);
    }

    [Fact]
    public void Bad_audio_and_bad_options_fail_with_a_message()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("not.wav"), "hello");
        var notWav = CliRun.Invoke("transcribe", temp.File("not.wav"));
        Assert.Equal(CliErrors.InputError, notWav.ExitCode);
        Assert.StartsWith("edgevoice: error:", notWav.Error);

        var empty = CliRun.InvokeWithInput([], "transcribe", "-", "--raw", "--sample-rate", "16000");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Single(empty.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var rate = CliRun.InvokeWithInput(new byte[100], "transcribe", "-", "--raw", "--sample-rate", "96000");
        Assert.NotEqual(0, rate.ExitCode);
        Assert.Contains("96000", rate.Error);

        var beam = CliRun.Invoke("transcribe", Wav, "--beam", "0");
        Assert.Equal(CliErrors.InputError, beam.ExitCode);
        Assert.Contains("BeamWidth", beam.Error);
    }

    [Fact]
    public void Stream_reads_raw_pcm_from_stdin_and_prints_a_final_result()
    {
        byte[] wav = File.ReadAllBytes(Wav);
        var run = CliRun.InvokeWithInput(wav[44..], "stream");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("final:", run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public void Stream_plays_a_file_and_rejects_realtime_without_a_file()
    {
        var run = CliRun.Invoke("stream", "--file", Wav);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("final:", run.Output);
        var misuse = CliRun.Invoke("stream", "--realtime");
        Assert.Equal(CliErrors.UsageError, misuse.ExitCode);
        var empty = CliRun.InvokeWithInput([], "stream");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("no samples", empty.Error);
    }

    [Fact]
    public void Eval_reports_wer_per_corpus_and_rtf_as_json()
    {
        using var temp = new TempDirectory();
        File.Copy(Wav, temp.File("a.wav"));
        File.WriteAllLines(temp.File("manifest.jsonl"),
        [
            "{\"id\": \"u1\", \"audio\": \"a.wav\", \"text\": \"TURN ON THE KITCHEN LIGHTS\", \"speaker\": \"s1\", \"corpus\": \"c1\", \"split\": \"dev\"}",
            "{\"id\": \"u2\", \"audio\": \"a.wav\", \"text\": \"TURN ON THE LIGHTS\", \"speaker\": \"s2\", \"corpus\": \"c2\", \"split\": \"dev\"}",
            "{\"id\": \"u3\", \"audio\": \"a.wav\", \"text\": \"NOT SELECTED\", \"speaker\": \"s2\", \"corpus\": \"c2\", \"split\": \"train\"}",
        ]);
        var run = CliRun.Invoke("eval", temp.File("manifest.jsonl"), "--split", "dev", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        foreach (string key in new[] { "utterances", "words", "wer", "sub", "del", "ins", "rtf", "per_corpus" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.Equal(2, json.RootElement.GetProperty("utterances").GetInt32());
        Assert.Equal(9, json.RootElement.GetProperty("words").GetInt32());
        Assert.True(json.RootElement.GetProperty("per_corpus").TryGetProperty("c2", out _));

        var text = CliRun.Invoke("eval", temp.File("manifest.jsonl"));
        Assert.Contains("WER", text.Output);
        Assert.Contains("RTF", text.Output);

        File.WriteAllText(temp.File("broken.jsonl"), "{\"id\": \"x\"}\n");
        var broken = CliRun.Invoke("eval", temp.File("broken.jsonl"));
        Assert.Equal(CliErrors.InputError, broken.ExitCode);
        Assert.Contains("broken.jsonl:1", broken.Error);
    }
}
