namespace EdgeVoice.Features.Tests;

/// <summary>
/// Deliberately naive double-precision reference implementations, written straight from the formulas,
/// used as test oracles for the optimised code paths.
/// </summary>
internal static class NaiveOracle
{
    /// <summary>X[k] = sum_n x[n] exp(-2 pi i k n / N), k = 0..N/2.</summary>
    public static (double[] Re, double[] Im) Dft(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        var re = new double[(n / 2) + 1];
        var im = new double[(n / 2) + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            for (int t = 0; t < n; t++)
            {
                double angle = -2.0 * Math.PI * ((long)k * t % n) / n;
                re[k] += x[t] * Math.Cos(angle);
                im[k] += x[t] * Math.Sin(angle);
            }
        }

        return (re, im);
    }

    /// <summary>Dense (bins x (fftSize/2 + 1)) mel weights, Kaldi's formulas in double, the Nyquist column zero.</summary>
    public static double[,] MelWeights(int numBins, int fftSize, double sampleRate, double lowFreq, double highFreq)
    {
        double nyquist = sampleRate / 2;
        double high = highFreq <= 0 ? highFreq + nyquist : highFreq;
        static double Mel(double f) => 1127.0 * Math.Log(1.0 + (f / 700.0));
        double melLow = Mel(lowFreq), melHigh = Mel(high);
        double delta = (melHigh - melLow) / (numBins + 1);
        var w = new double[numBins, (fftSize / 2) + 1];
        for (int b = 0; b < numBins; b++)
        {
            double left = melLow + (b * delta), center = melLow + ((b + 1) * delta), right = melLow + ((b + 2) * delta);
            for (int k = 0; k < fftSize / 2; k++)
            {
                double mel = Mel(k * sampleRate / fftSize);
                w[b, k] = Math.Max(0.0, Math.Min((mel - left) / (center - left), (right - mel) / (right - center)));
            }
        }

        return w;
    }

    /// <summary>
    /// The same weights as torchaudio's get_mel_banks computes them: every tensor expression in float32, the
    /// Python-float scalars (cut-off mels, spacing, bin width) rounded to float32 first, the log rounded correctly.
    /// </summary>
    public static double[,] TorchMelWeights(int numBins, int fftSize, double sampleRate, double lowFreq, double highFreq)
    {
        double nyquist = sampleRate / 2;
        double high = highFreq <= 0 ? highFreq + nyquist : highFreq;
        static double Mel(double f) => 1127.0 * Math.Log(1.0 + (f / 700.0));
        static float MelF(float f) => (float)Math.Log(1.0f + (f / 700.0f)) * 1127.0f;
        float melLow = (float)Mel(lowFreq);
        float delta = (float)((Mel(high) - Mel(lowFreq)) / (numBins + 1));
        float binWidth = (float)(sampleRate / fftSize);
        var w = new double[numBins, (fftSize / 2) + 1];
        for (int b = 0; b < numBins; b++)
        {
            float left = (b * delta) + melLow, center = ((b + 1) * delta) + melLow, right = ((b + 2) * delta) + melLow;
            for (int k = 0; k < fftSize / 2; k++)
            {
                float mel = MelF(k * binWidth);
                w[b, k] = Math.Max(0.0f, Math.Min((mel - left) / (center - left), (right - mel) / (right - center)));
            }
        }

        return w;
    }

    /// <summary>energies[b] = sum_k w[b, k] spectrum[k].</summary>
    public static double[] ApplyMel(double[,] weights, ReadOnlySpan<double> spectrum)
    {
        var result = new double[weights.GetLength(0)];
        for (int b = 0; b < result.Length; b++)
        {
            for (int k = 0; k < weights.GetLength(1); k++)
            {
                result[b] += weights[b, k] * spectrum[k];
            }
        }

        return result;
    }

    /// <summary>
    /// Whole-utterance fbank, snip-edges framing, following torchaudio.compliance.kaldi step by step for a float64
    /// waveform: everything in double except the mel weights, which torchaudio builds in float32.
    /// </summary>
    public static double[,] Fbank(float[] samples, FbankOptions o)
    {
        int size = o.WindowSize, shift = o.WindowShift, padded = o.PaddedWindowSize;
        int frames = samples.Length < size ? 0 : 1 + ((samples.Length - size) / shift);
        var weights = TorchMelWeights(o.NumMelBins, padded, o.SampleFrequency, o.LowFreq, o.HighFreq);
        var result = new double[frames, o.NumMelBins];
        for (int f = 0; f < frames; f++)
        {
            var x = new double[size];
            for (int i = 0; i < size; i++)
            {
                x[i] = samples[(f * shift) + i];
            }

            if (o.RemoveDcOffset)
            {
                double mean = x.Average();
                for (int i = 0; i < size; i++)
                {
                    x[i] -= mean;
                }
            }

            for (int i = size - 1; i >= 0; i--)
            {
                x[i] -= o.PreemphasisCoefficient * x[Math.Max(i - 1, 0)];
            }

            var frame = new double[padded];
            for (int i = 0; i < size; i++)
            {
                double hann = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (size - 1)));
                double w = o.WindowType switch
                {
                    FeatureWindowType.Povey => Math.Pow(hann, 0.85),
                    FeatureWindowType.Hanning => hann,
                    FeatureWindowType.Rectangular => 1.0,
                    _ => throw new NotSupportedException("The oracle covers povey, hanning and rectangular."),
                };
                frame[i] = x[i] * w;
            }

            var (re, im) = Dft(frame);
            var power = new double[re.Length];
            for (int k = 0; k < re.Length; k++)
            {
                power[k] = (re[k] * re[k]) + (im[k] * im[k]);
            }

            var mel = ApplyMel(weights, power);
            for (int b = 0; b < mel.Length; b++)
            {
                result[f, b] = Math.Log(Math.Max(mel[b], 1.1920929e-07));
            }
        }

        return result;
    }
}
