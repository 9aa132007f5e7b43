using System.Buffers.Binary;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>Little-endian 16-bit PCM, the form of sox's reference decodes.</summary>
internal static class Pcm16
{
    public static float[] ToFloat(ReadOnlySpan<byte> bytes)
    {
        var samples = new float[bytes.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]) / 32768f;
        }

        return samples;
    }

    /// <summary>Largest absolute difference of two equally long sample arrays.</summary>
    public static double MaxAbsDifference(float[] a, float[] b)
    {
        double max = 0;
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }
}
