using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Audio;

/// <summary>
/// Turns whole interleaved WAV frames into mono floats: each sample is scaled to [-1, 1] (integers by
/// 2^(bits-1), 8-bit after removing the 128 offset; floats are clamped), then channels are averaged.
/// </summary>
internal static class MonoFrameDecoder
{
    /// <summary>
    /// Decodes <c>mono.Length</c> frames from <paramref name="frames"/> (which holds exactly that many).
    /// <paramref name="firstFrameIndex"/> is only used to name a bad sample.
    /// </summary>
    /// <exception cref="InvalidSampleValueException">A float sample is NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode(ReadOnlySpan<byte> frames, WavFormat format, Span<float> mono, long firstFrameIndex, string sourceName)
    {
        int channels = format.Channels;
        int width = format.BytesPerSample;
        float channelWeight = 1f / channels;
        for (int frame = 0; frame < mono.Length; frame++)
        {
            var bytes = frames.Slice(frame * format.BlockAlign, format.BlockAlign);
            float sum = 0f;
            for (int channel = 0; channel < channels; channel++)
            {
                var sample = bytes.Slice(channel * width, width);
                sum += format.Encoding switch
                {
                    WavEncoding.UnsignedInt8 => (sample[0] - 128) * (1f / 128),
                    WavEncoding.SignedInt16 => BinaryPrimitives.ReadInt16LittleEndian(sample) * (1f / 32768),
                    WavEncoding.SignedInt24 => (sample[0] | (sample[1] << 8) | ((sbyte)sample[2] << 16)) * (1f / 8388608),
                    WavEncoding.SignedInt32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(sample) * (1.0 / 2147483648.0)),
                    WavEncoding.Float32 => CheckedFloat(BinaryPrimitives.ReadSingleLittleEndian(sample), firstFrameIndex + frame, channel, sourceName),
                    WavEncoding.Float64 => CheckedFloat(BinaryPrimitives.ReadDoubleLittleEndian(sample), firstFrameIndex + frame, channel, sourceName),
                    WavEncoding.MuLaw => G711.MuLaw[sample[0]] * (1f / 32768),
                    WavEncoding.ALaw => G711.ALaw[sample[0]] * (1f / 32768),
                    _ => throw new InvalidOperationException($"Unhandled encoding {format.Encoding}."),
                };
            }

            mono[frame] = channels == 1 ? sum : sum * channelWeight;
        }
    }

    private static float CheckedFloat(double value, long frameIndex, int channel, string sourceName)
    {
        if (!double.IsFinite(value))
        {
            throw new InvalidSampleValueException(sourceName, frameIndex, channel, value);
        }

        return (float)Math.Clamp(value, -1.0, 1.0);
    }
}
