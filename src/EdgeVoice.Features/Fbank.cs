using System.Runtime.CompilerServices;
namespace EdgeVoice.Features;

/// <summary>One-shot filterbank computation over a whole utterance.</summary>
public static class Fbank
{
    // Audio is fed to the stream in pieces of this many samples, so the stream's buffers stay small
    // instead of holding a copy of the whole signal.
    private const int ChunkSamples = 8192;

    /// <summary>
    /// Computes log-mel filterbank features for a complete signal; same values as feeding
    /// <see cref="OnlineFbank"/> and calling <see cref="OnlineFbank.InputFinished"/>.
    /// </summary>
    /// <param name="samples">Mono floats in [-1, 1] at <see cref="FbankOptions.SampleFrequency"/>.</param>
    /// <param name="options">Feature options; <see cref="FbankOptions.Default"/> if null.</param>
    /// <returns>A (frames x <see cref="FbankOptions.FeatureDimension"/>) matrix; zero frames if the signal is shorter than one window.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FeatureMatrix Compute(ReadOnlySpan<float> samples, FbankOptions? options = null)
    {
        var fbank = new OnlineFbank(options ?? FbankOptions.Default);
        var result = new FeatureMatrix(fbank.FrameCountFor(samples.Length), fbank.Dimension);
        Span<float> destination = result.Data;
        int written = 0;
        for (int start = 0; start < samples.Length; start += ChunkSamples)
        {
            fbank.AcceptWaveform(samples.Slice(start, Math.Min(ChunkSamples, samples.Length - start)));
            written += fbank.ReadFrames(destination[(written * fbank.Dimension)..]);
        }

        fbank.InputFinished();
        written += fbank.ReadFrames(destination[(written * fbank.Dimension)..]);
        if (written != result.NumFrames)
        {
            throw new InvalidOperationException($"Internal error: {written} frames were computed but {result.NumFrames} were expected.");
        }

        return result;
    }
}
