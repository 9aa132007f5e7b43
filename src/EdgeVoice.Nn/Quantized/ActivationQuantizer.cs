using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn;

/// <summary>
/// Symmetric int8 quantization of one activation row: <c>s = max|x| / 127</c>, <c>q = clamp(round(x / s), -127, 127)</c>
/// (rounding half to even, computed as <c>x · (127 / max|x|)</c>). A row of zeros gets scale 0 and zeros.
/// </summary>
public static class ActivationQuantizer
{
    /// <summary>Quantizes <paramref name="x"/> into <paramref name="q"/> (same length) and returns the scale.</summary>
    /// <remarks>Vectorised where 256-bit vectors are accelerated, with the same float operations (one multiply, rounding
    /// half to even), so every path gives the same values; NaN or an infinity anywhere gives the scale NaN.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Quantize(ReadOnlySpan<float> x, Span<sbyte> q)
    {
        Guard.Length(q.Length, x.Length, nameof(q));
        float max = MaxMagnitude(x);
        if (max == 0f || !float.IsFinite(max))
        {
            q.Clear();
            return max == 0f ? 0f : float.NaN;
        }

        float inverse = 127f / max;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref sbyte qr = ref MemoryMarshal.GetReference(q);
            Vector256<float> scale = Vector256.Create(inverse);
            for (; i + 32 <= x.Length; i += 32)
            {
                Vector256<short> lower = Vector256.Narrow(
                    Level(Vector256.LoadUnsafe(ref xr, (nuint)i), scale), Level(Vector256.LoadUnsafe(ref xr, (nuint)(i + 8)), scale));
                Vector256<short> upper = Vector256.Narrow(
                    Level(Vector256.LoadUnsafe(ref xr, (nuint)(i + 16)), scale), Level(Vector256.LoadUnsafe(ref xr, (nuint)(i + 24)), scale));
                Vector256.Narrow(lower, upper).StoreUnsafe(ref qr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp((int)MathF.Round(x[i] * inverse), -127, 127);
        }

        return max / 127f;
    }

    /// <summary>Per-row symmetric quantization of a weight matrix: <c>scale[r] = max|W[r]| / 127</c> (1 for an all-zero row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeRows(ReadOnlySpan<float> weights, int rows, int columns, Span<sbyte> values, Span<float> scales)
    {
        Guard.Length(weights.Length, (long)rows * columns, nameof(weights));
        Guard.Length(values.Length, (long)rows * columns, nameof(values));
        Guard.Length(scales.Length, rows, nameof(scales));
        for (int r = 0; r < rows; r++)
        {
            float s = Quantize(weights.Slice(r * columns, columns), values.Slice(r * columns, columns));
            if (float.IsNaN(s))
            {
                throw new ArgumentException($"Row {r} of the weights holds a value that is not finite.", nameof(weights));
            }

            scales[r] = s == 0f ? 1f : s;
        }
    }

    /// <summary>
    /// <c>max |x[i]|</c> (0 for an empty span), found as the largest bit pattern with the sign cleared: for floats that
    /// is the order of magnitudes, with infinities and NaNs above every finite value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float MaxMagnitude(ReadOnlySpan<float> x)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(x);
        int max = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && bits.Length >= 8)
        {
            Vector256<int> magnitude = Vector256.Create(int.MaxValue);
            Vector256<int> acc = Vector256<int>.Zero;
            ref int br = ref MemoryMarshal.GetReference(bits);
            for (; i + 8 <= bits.Length; i += 8)
            {
                acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref br, (nuint)i) & magnitude);
            }

            for (int j = 0; j < Vector256<int>.Count; j++)
            {
                max = Math.Max(max, acc.GetElement(j));
            }
        }

        for (; i < bits.Length; i++)
        {
            max = Math.Max(max, bits[i] & int.MaxValue);
        }

        return BitConverter.Int32BitsToSingle(max);
    }

    /// <summary><c>clamp(round(x · scale), -127, 127)</c> per lane, rounding half to even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Level(Vector256<float> x, Vector256<float> scale) =>
        Vector256.Min(Vector256.Max(Vector256.ConvertToInt32(Vector256.Round(x * scale)), Vector256.Create(-127)), Vector256.Create(127));
}
