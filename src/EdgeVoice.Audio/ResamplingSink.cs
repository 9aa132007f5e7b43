using System.Runtime.InteropServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Last stage of both stream decoders: resamples mono input to the target rate and clamps the result to
/// [-1, 1] (the filter can overshoot full-scale input by a few percent).
/// </summary>
internal sealed class ResamplingSink
{
    private readonly Resampler _resampler;

    public ResamplingSink(int inputRate, int outputRate)
    {
        _resampler = new Resampler(inputRate, outputRate);
    }

    /// <summary>Mono samples received so far, before resampling.</summary>
    public long InputSamples { get; private set; }

    public void Write(ReadOnlySpan<float> mono, List<float> output)
    {
        InputSamples += mono.Length;
        int start = output.Count;
        _resampler.Process(mono, output);
        ClampFrom(output, start);
    }

    public void Flush(List<float> output)
    {
        int start = output.Count;
        _resampler.Flush(output);
        ClampFrom(output, start);
    }

    private static void ClampFrom(List<float> output, int start)
    {
        foreach (ref float sample in CollectionsMarshal.AsSpan(output)[start..])
        {
            sample = Math.Clamp(sample, -1f, 1f);
        }
    }
}
