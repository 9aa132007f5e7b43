namespace EdgeVoice.Features;

/// <summary>One-shot filterbank computation over a whole utterance.</summary>
public static class Fbank
{
    /// <summary>
    /// Computes log-mel filterbank features for a complete signal; same values as feeding
    /// <see cref="OnlineFbank"/> and calling <see cref="OnlineFbank.InputFinished"/>.
    /// </summary>
    /// <param name="samples">Mono floats in [-1, 1] at <see cref="FbankOptions.SampleFrequency"/>.</param>
    /// <param name="options">Feature options; <see cref="FbankOptions.Default"/> if null.</param>
    /// <returns>A (frames x <see cref="FbankOptions.FeatureDimension"/>) matrix; zero frames if the signal is shorter than one window.</returns>
    public static FeatureMatrix Compute(ReadOnlySpan<float> samples, FbankOptions? options = null)
    {
        var fbank = new OnlineFbank(options ?? FbankOptions.Default, samples.Length);
        fbank.AcceptWaveform(samples);
        fbank.InputFinished();
        var result = new FeatureMatrix(fbank.NumFramesReady, fbank.Dimension);
        fbank.ReadFrames(result.Data);
        return result;
    }
}
