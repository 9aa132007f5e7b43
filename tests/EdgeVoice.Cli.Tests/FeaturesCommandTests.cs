using EdgeVoice.Audio;
using EdgeVoice.Features;

namespace EdgeVoice.Cli.Tests;

public sealed class FeaturesCommandTests
{
    [Fact]
    public void WritesTheSameFeaturesAsTheLibrary()
    {
        using var temp = new TempDirectory();
        var output = temp.File("feats.npy");

        var run = CliRun.Invoke("features", CliRun.Sample("kitchen-lights.wav"), "--output", output);

        Assert.Equal(0, run.ExitCode);
        var written = NpyFile.ReadMatrix(output);
        var expected = Fbank.Compute(AudioFile.Read(CliRun.Sample("kitchen-lights.wav")).Samples);
        Assert.Equal(expected.NumFrames, written.NumFrames);
        Assert.Equal(80, written.Dimension);
        Assert.Equal(expected.Data, written.Data);
    }

    [Fact]
    public void RawPcmFromStandardInputMatchesTheWavFile()
    {
        using var temp = new TempDirectory();
        var clip = AudioFile.Read(CliRun.Sample("kitchen-lights.wav"));
        var pcm = new byte[clip.Samples.Length * 2];
        for (var i = 0; i < clip.Samples.Length; i++)
        {
            var value = (short)Math.Clamp(MathF.Round(clip.Samples[i] * 32768f), short.MinValue, short.MaxValue);
            BitConverter.TryWriteBytes(pcm.AsSpan(2 * i), value);
        }

        var fromWav = temp.File("wav.npy");
        var fromStdin = temp.File("stdin.npy");
        Assert.Equal(0, CliRun.Invoke("features", CliRun.Sample("kitchen-lights.wav"), "-o", fromWav).ExitCode);
        var run = CliRun.InvokeWithInput(pcm, "features", "-", "--raw", "--sample-rate", "16000", "-o", fromStdin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(NpyFile.ReadMatrix(fromWav).Data, NpyFile.ReadMatrix(fromStdin).Data);
    }

    [Fact]
    public void TruncatedWavGivesOneLineNamingTheFileAndAnInputErrorCode()
    {
        using var temp = new TempDirectory();
        var truncated = temp.File("truncated.wav");
        File.WriteAllBytes(truncated, File.ReadAllBytes(CliRun.Sample("kitchen-lights.wav")).AsSpan(0, 100).ToArray());

        var run = CliRun.Invoke("features", truncated, "-o", temp.File("out.npy"));

        Assert.Equal(CliErrors.InputError, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgevoice: error:", line);
        Assert.Contains("truncated.wav", line);
        Assert.False(File.Exists(temp.File("out.npy")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("RIFF")]
    [InlineData("not audio at all, just some text that is long enough to look like a header")]
    public void GarbageOnStandardInputIsAnInputError(string input)
    {
        using var temp = new TempDirectory();

        var run = CliRun.InvokeWithInput(CliRun.Utf8(input), "features", "-", "-o", temp.File("out.npy"));

        Assert.Equal(CliErrors.InputError, run.ExitCode);
        Assert.Contains("<stdin>", run.Error);
    }

    [Fact]
    public void MissingFileIsAnIoError()
    {
        var run = CliRun.Invoke("features", "/nonexistent/audio.wav", "-o", "/tmp/never.npy");

        Assert.Equal(CliErrors.IoError, run.ExitCode);
        Assert.Contains("/nonexistent/audio.wav", run.Error);
    }

    [Fact]
    public void RawWithoutSampleRateIsAUsageError()
    {
        var run = CliRun.Invoke("features", CliRun.Sample("kitchen-lights.wav"), "--raw", "-o", "/tmp/never.npy");

        Assert.Equal(CliErrors.UsageError, run.ExitCode);
        Assert.Contains("--sample-rate", run.Error);
    }

    [Fact]
    public void UnsupportedRawSampleRateIsAnInputError()
    {
        var run = CliRun.InvokeWithInput(new byte[3200], "features", "-", "--raw", "--sample-rate", "96000", "-o", "/tmp/never.npy");

        Assert.Equal(CliErrors.InputError, run.ExitCode);
        Assert.Contains("96000", run.Error);
    }

    [Fact]
    public void CmvnStatsAreApplied()
    {
        using var temp = new TempDirectory();
        var plain = temp.File("plain.npy");
        Assert.Equal(0, CliRun.Invoke("features", CliRun.Sample("kitchen-lights.wav"), "-o", plain).ExitCode);
        var features = NpyFile.ReadMatrix(plain);
        var mean = new float[80];
        var std = new float[80];
        Array.Fill(mean, 1.5f);
        Array.Fill(std, 2f);
        var statsPath = temp.File("cmvn.json");
        new GlobalCmvn(mean, std).Save(statsPath);

        var normalisedPath = temp.File("normalised.npy");
        var run = CliRun.Invoke("features", CliRun.Sample("kitchen-lights.wav"), "-o", normalisedPath, "--cmvn", statsPath);

        Assert.Equal(0, run.ExitCode);
        var normalised = NpyFile.ReadMatrix(normalisedPath);
        for (var i = 0; i < features.Data.Length; i++)
        {
            Assert.Equal((features.Data[i] - 1.5f) / 2f, normalised.Data[i], 1e-5f);
        }
    }
}
