using System.Globalization;
using Xunit.Abstractions;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Frequency response of the resampler measured with pure tones: passband gain, and the energy that
/// leaks through as aliases (down-sampling) or images (up-sampling). Run with
/// <c>dotnet test tests/EdgeVoice.Audio.Tests -c Release --filter ResamplerQualityTests --logger "console;verbosity=detailed"</c>
/// to print the numbers.
/// </summary>
public sealed class ResamplerQualityTests(ITestOutputHelper output)
{
    private const int Target = 16000;
    private const double Amplitude = 0.5;
    private const int Edge = 300;

    public static TheoryData<int> Rates() => [8000, 11025, 12000, 22050, 24000, 32000, 44100, 48000];

    [Theory]
    [MemberData(nameof(Rates))]
    public void Passband_is_flat_within_a_tenth_of_a_dB_up_to_045_of_the_lower_Nyquist(int rate)
    {
        double lowerNyquist = Math.Min(rate, Target) / 2.0;
        double worstGainDb = 0;
        double worstLeakDb = double.NegativeInfinity;
        for (int i = 1; i <= 24; i++)
        {
            double frequency = 0.45 * lowerNyquist * i / 24;
            var (gainDb, leakDb) = Measure(rate, frequency);
            worstGainDb = Math.Abs(gainDb) > Math.Abs(worstGainDb) ? gainDb : worstGainDb;
            worstLeakDb = Math.Max(worstLeakDb, leakDb);
        }

        output.WriteLine(Invariant($"{rate} -> {Target}: passband (to 0.45 Nyquist) worst gain {worstGainDb:+0.00000;-0.00000} dB, worst spurious {worstLeakDb:0.0} dB"));
        Assert.InRange(worstGainDb, -0.1, 0.1);
        Assert.True(worstLeakDb < -60, Invariant($"spurious output {worstLeakDb:0.0} dB"));
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Everything_above_the_lower_Nyquist_is_at_least_60_dB_down(int rate)
    {
        double lowerNyquist = Math.Min(rate, Target) / 2.0;
        double worstDb = double.NegativeInfinity;
        double worstFrequency = 0;
        if (rate > Target)
        {
            // Input tones between the output Nyquist and the input Nyquist must vanish (no aliases).
            for (int i = 0; i <= 30; i++)
            {
                double frequency = lowerNyquist + ((rate / 2.0 * 0.995) - lowerNyquist) * i / 30;
                var signal = ToneFit.Tone(frequency, rate, rate / 2, Amplitude);
                var resampled = Resampler.Resample(signal, rate, Target);
                double db = 20 * Math.Log10(ToneFit.Rms(resampled.AsSpan(Edge, resampled.Length - (2 * Edge))) / (Amplitude / Math.Sqrt(2)));
                (worstDb, worstFrequency) = db > worstDb ? (db, frequency) : (worstDb, worstFrequency);
            }
        }
        else
        {
            // Up-sampling: a tone at f below the input Nyquist has images at rate - f, rate + f, ...,
            // all above the input Nyquist; whatever the tone fit leaves over is image energy.
            for (int i = 1; i <= 30; i++)
            {
                double frequency = 0.995 * lowerNyquist * i / 30;
                var (_, leakDb) = Measure(rate, frequency);
                (worstDb, worstFrequency) = leakDb > worstDb ? (leakDb, frequency) : (worstDb, worstFrequency);
            }
        }

        output.WriteLine(Invariant($"{rate} -> {Target}: stopband (above {lowerNyquist} Hz) worst {worstDb:0.0} dB at input tone {worstFrequency:0} Hz"));
        Assert.True(worstDb <= -60, Invariant($"only {-worstDb:0.0} dB of attenuation at {worstFrequency:0} Hz"));
    }

    [Fact]
    public void A_sine_sweep_through_the_passband_keeps_its_level()
    {
        const int rate = 44100;
        int length = rate;
        var sweep = new float[length];
        double phase = 0;
        for (int i = 0; i < length; i++)
        {
            double frequency = 50 + (3500.0 * i / length);
            phase += 2 * Math.PI * frequency / rate;
            sweep[i] = (float)(Amplitude * Math.Sin(phase));
        }

        var resampled = Resampler.Resample(sweep, rate, Target);

        double rmsDb = 20 * Math.Log10(ToneFit.Rms(resampled.AsSpan(Edge, resampled.Length - (2 * Edge))) / (Amplitude / Math.Sqrt(2)));
        output.WriteLine(Invariant($"sweep 50..3550 Hz, 44100 -> 16000: level {rmsDb:+0.0000;-0.0000} dB"));
        Assert.InRange(rmsDb, -0.05, 0.05);
    }

    private static (double GainDb, double LeakDb) Measure(int rate, double frequency)
    {
        var signal = ToneFit.Tone(frequency, rate, rate / 2, Amplitude);
        var resampled = Resampler.Resample(signal, rate, Target);
        var middle = resampled.AsSpan(Edge, resampled.Length - (2 * Edge));
        var (amplitude, residual) = ToneFit.Fit(middle, frequency, Target, Edge);
        return (20 * Math.Log10(amplitude / Amplitude), 20 * Math.Log10(Math.Max(residual, 1e-12) / (Amplitude / Math.Sqrt(2))));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
