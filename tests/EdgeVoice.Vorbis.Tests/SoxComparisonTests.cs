using Xunit.Abstractions;

namespace EdgeVoice.Vorbis.Tests;

public sealed class SoxComparisonTests(ITestOutputHelper output)
{
    /// <summary>sox writes 16-bit samples, so half a step of 1/32768 is lost to rounding; the rest is float noise.</summary>
    private const double Tolerance = 1e-4;

    [Fact]
    public void EveryTestFileMatchesSox()
    {
        if (!TestFiles.SoxAvailable)
        {
            output.WriteLine("sox is not installed: skipped (the committed references still run in ReferenceDecodeTests)");
            return;
        }

        double worst = 0;
        foreach (string path in TestFiles.OggFiles)
        {
            VorbisAudio audio = VorbisFile.Decode(path);
            float[] reference = TestFiles.DecodeWithSox(path);
            double diff = Pcm16.MaxAbsDifference(audio.Interleaved, reference);
            output.WriteLine($"{Path.GetFileName(path)}: {audio.Channels} ch, {audio.SampleRate} Hz, {audio.FrameCount} frames (sox {reference.Length / audio.Channels}), max abs diff {diff:E2}");
            Assert.Equal(reference.Length, audio.Interleaved.Length);
            Assert.True(diff < Tolerance, $"{path}: max abs difference {diff} exceeds {Tolerance}");
            worst = Math.Max(worst, diff);
        }

        output.WriteLine($"worst max abs diff over all test files: {worst:E2}");
    }
}
