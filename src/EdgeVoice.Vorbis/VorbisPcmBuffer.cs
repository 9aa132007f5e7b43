using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>A growing buffer of interleaved float samples.</summary>
internal sealed class VorbisPcmBuffer
{
    private float[] _samples;
    private long _frames;

    public VorbisPcmBuffer(int channels, long expectedFrames)
    {
        Channels = channels;
        long capacity = Math.Clamp(expectedFrames * channels, 1024, 1 << 22);
        _samples = new float[capacity];
    }

    public int Channels { get; }

    /// <summary>Frames (samples per channel) held.</summary>
    public long Frames => _frames;

    /// <summary>Adds <paramref name="frames"/> frames and returns them, interleaved, for the caller to fill.</summary>
    public Span<float> Append(int frames)
    {
        long needed = (_frames + frames) * Channels;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("The decoded audio exceeds the largest array .NET can hold.");
        }

        if (needed > _samples.Length)
        {
            long capacity = Math.Min(Math.Max(needed, (long)_samples.Length * 2), Array.MaxLength);
            Array.Resize(ref _samples, (int)capacity);
        }

        Span<float> span = _samples.AsSpan((int)(_frames * Channels), frames * Channels);
        _frames += frames;
        return span;
    }

    /// <summary>Drops <paramref name="frames"/> frames from the end.</summary>
    public void TrimEnd(long frames) => _frames = Math.Max(0, _frames - frames);

    /// <summary>Copies frames [start, start + count) out, clamped to [-1, 1], with NaN as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] ToClampedArray(long start, long count)
    {
        var result = new float[count * Channels];
        ReadOnlySpan<float> source = _samples.AsSpan((int)(start * Channels), result.Length);
        for (int i = 0; i < result.Length; i++)
        {
            // Corrupt VQ values can overflow to infinity and then to NaN; neither is a sample.
            float value = source[i];
            result[i] = float.IsNaN(value) ? 0f : Math.Clamp(value, -1f, 1f);
        }

        return result;
    }
}
