namespace EdgeVoice.Cli.Tests;

/// <summary>--bias-max-loss: how much acoustic score contextual biasing may cost a result.</summary>
public sealed class BiasMaxLossOptionTests
{
    private static string Wav => CliRun.Sample("kitchen-lights.wav");

    [Fact]
    public void A_phrase_the_audio_does_not_support_wins_without_a_limit_and_loses_with_one()
    {
        string names = Path.Combine(Path.GetTempPath(), $"edgevoice-names-{Guid.NewGuid():N}.txt");
        try
        {
            // One phrase with a huge boost per token: shallow fusion alone forces it into the result.
            File.WriteAllText(names, "zebra crossing\t12\n");
            var unlimited = CliRun.Invoke("transcribe", Wav, "--context", names);
            var limited = CliRun.Invoke("transcribe", Wav, "--context", names, "--bias-max-loss", "0");
            var plain = CliRun.Invoke("transcribe", Wav, "--beam", "4");
            Assert.True(unlimited.ExitCode == 0, unlimited.Error);
            Assert.True(limited.ExitCode == 0, limited.Error);
            Assert.Contains("ZEBRA", unlimited.Output);
            Assert.DoesNotContain("ZEBRA", limited.Output);
            Assert.Equal(plain.Output, limited.Output);
        }
        finally
        {
            File.Delete(names);
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("some")]
    public void A_negative_or_unreadable_limit_is_a_usage_error_naming_it(string value)
    {
        var run = CliRun.Invoke("transcribe", Wav, "--bias-max-loss", value);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ias", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
