namespace EdgeVoice.Cli.Tests;

/// <summary>`edgevoice stream` end-point events with the repository's default model.</summary>
public sealed class StreamEndpointTests
{
    private static byte[] SpeechThenSilence(double silenceSeconds)
    {
        byte[] wav = File.ReadAllBytes(CliRun.Sample("kitchen-lights.wav"));
        return [.. wav[44..], .. new byte[(int)(16000 * silenceSeconds) * 2]];
    }

    [Fact]
    public void Stream_prints_end_point_events_and_every_final_end_point_closes_an_utterance()
    {
        var run = CliRun.InvokeWithInput([.. SpeechThenSilence(3), .. SpeechThenSilence(3)], "stream");
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("endpoint:", StringComparison.Ordinal));
        Assert.StartsWith("final:", lines[^1]);

        // Utterance numbers count up from 0; a final end-point by a silence rule follows a speculative one.
        var endpoints = lines.Where(l => l.StartsWith("endpoint:", StringComparison.Ordinal)).ToList();
        for (int i = 0; i < endpoints.Count; i++)
        {
            Assert.Contains($"(utterance {i},", endpoints[i]);
            if (!endpoints[i].Contains("InputFinished", StringComparison.Ordinal))
            {
                int at = Array.IndexOf(lines, endpoints[i]);
                Assert.Contains(lines[..at], l => l.StartsWith("speculative:", StringComparison.Ordinal) && l.Contains($"(utterance {i},", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void No_endpoint_gives_the_single_utterance_output()
    {
        var run = CliRun.InvokeWithInput(SpeechThenSilence(3), "stream", "--no-endpoint");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("endpoint:", run.Output);
        Assert.DoesNotContain("speculative:", run.Output);
        Assert.StartsWith("final:", run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public void A_positive_energy_threshold_is_an_input_error()
    {
        var run = CliRun.InvokeWithInput(SpeechThenSilence(0.5), "stream", "--silence-energy-db", "3");
        Assert.Equal(CliErrors.InputError, run.ExitCode);
        Assert.Contains("SilenceEnergyDb", run.Error);
    }
}
