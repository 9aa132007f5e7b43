namespace EdgeVoice.Cli.Tests;

/// <summary>--blank-penalty on the recognising commands, with the repository's default model.</summary>
public sealed class BlankPenaltyOptionTests
{
    private static string Wav => CliRun.Sample("kitchen-lights.wav");

    [Fact]
    public void A_large_negative_penalty_silences_the_recognizer_and_zero_changes_nothing()
    {
        var plain = CliRun.Invoke("transcribe", Wav);
        var zero = CliRun.Invoke("transcribe", Wav, "--blank-penalty", "0");
        var silenced = CliRun.Invoke("transcribe", Wav, "--blank-penalty", "-20");
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.True(silenced.ExitCode == 0, silenced.Error);
        Assert.Equal(plain.Output, zero.Output);
        Assert.Contains("KITCHEN", plain.Output);
        Assert.Equal(string.Empty, silenced.Output.Trim());
    }

    [Theory]
    [InlineData("50")]
    [InlineData("NaN")]
    [InlineData("lots")]
    public void An_out_of_range_penalty_is_a_usage_error_naming_it(string value)
    {
        var run = CliRun.Invoke("transcribe", Wav, "--blank-penalty", value);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("enalty", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
