using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Compares <see cref="AudioFile.Read(string, int)"/> with <c>sox in.wav -r 16000 -e floating-point -b 32 out.wav rate</c>
/// (sox's default "high quality" linear-phase resampler) on a band-limited multi-tone signal.
/// </summary>
public sealed class SoxComparisonTests(ITestOutputHelper output)
{
    private const int Edge = 400;

    [SoxTheory]
    [InlineData(8000)]
    [InlineData(11025)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Matches_sox_rate_on_a_band_limited_signal(int rate)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"edgevoice-sox-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string input = Path.Combine(directory, "in.wav");
            string soxOutput = Path.Combine(directory, "sox.wav");
            WavWriter.WriteFloat32(input, new AudioClip(BandLimitedSignal(rate), rate));
            RunSox(input, soxOutput);

            var ours = AudioFile.Read(input).Samples;
            var theirs = AudioFile.Read(soxOutput).Samples;

            int length = Math.Min(ours.Length, theirs.Length);
            double signal = 0, noise = 0;
            for (int i = Edge; i < length - Edge; i++)
            {
                signal += (double)theirs[i] * theirs[i];
                noise += (double)(ours[i] - theirs[i]) * (ours[i] - theirs[i]);
            }

            double snr = 10 * Math.Log10(signal / noise);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rate} -> 16000: SNR vs sox {snr:0.0} dB ({ours.Length} vs {theirs.Length} samples)"));
            Assert.True(snr >= 40, $"SNR against sox is only {snr:0.0} dB");
            Assert.InRange(ours.Length - theirs.Length, -1, 1);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Eight tones at random frequencies below 0.4 × the lower Nyquist, 1 second, fixed seed.</summary>
    private static float[] BandLimitedSignal(int rate)
    {
        var random = new Random(rate);
        double top = 0.4 * Math.Min(rate, 16000) / 2.0;
        var tones = Enumerable.Range(0, 8).Select(_ => (Frequency: 40 + (random.NextDouble() * (top - 40)), Phase: random.NextDouble() * 2 * Math.PI)).ToArray();
        var signal = new float[rate];
        for (int i = 0; i < signal.Length; i++)
        {
            signal[i] = (float)tones.Sum(t => 0.1 * Math.Sin((2 * Math.PI * t.Frequency * i / rate) + t.Phase));
        }

        return signal;
    }

    private static void RunSox(string input, string soxOutput)
    {
        var start = new ProcessStartInfo(SoxTheoryAttribute.SoxPath!)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { input, "-r", "16000", "-e", "floating-point", "-b", "32", soxOutput, "rate" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sox failed: {errors}");
    }
}
