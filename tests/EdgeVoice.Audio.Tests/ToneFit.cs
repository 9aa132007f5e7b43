namespace EdgeVoice.Audio.Tests;

/// <summary>Least-squares fit of one sinusoid (cos and sin at a known frequency) to a stretch of samples.</summary>
internal static class ToneFit
{
    /// <summary>Returns the fitted amplitude and the RMS of what the tone does not explain.</summary>
    public static (double Amplitude, double ResidualRms) Fit(ReadOnlySpan<float> samples, double frequency, int sampleRate, int start)
    {
        double w = 2 * Math.PI * frequency / sampleRate;
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double c = Math.Cos(w * (start + i));
            double s = Math.Sin(w * (start + i));
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += samples[i] * c;
            ys += samples[i] * s;
        }

        double det = (cc * ss) - (cs * cs);
        double a = ((yc * ss) - (ys * cs)) / det;
        double b = ((ys * cc) - (yc * cs)) / det;
        double residual = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double e = samples[i] - ((a * Math.Cos(w * (start + i))) + (b * Math.Sin(w * (start + i))));
            residual += e * e;
        }

        return (Math.Sqrt((a * a) + (b * b)), Math.Sqrt(residual / samples.Length));
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    public static float[] Tone(double frequency, int sampleRate, int length, double amplitude)
    {
        var tone = new float[length];
        for (int i = 0; i < length; i++)
        {
            tone[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return tone;
    }
}
