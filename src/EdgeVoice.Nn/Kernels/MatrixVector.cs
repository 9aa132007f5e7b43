using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeVoice.Nn.Simd;

namespace EdgeVoice.Nn;

/// <summary>
/// Matrix-vector product <c>y = W x + b</c> with <c>W</c> row-major <c>[y.Length, x.Length]</c> (the layout
/// of a PyTorch Linear weight). Four rows are processed together so every load of <c>x</c> feeds four
/// fused multiply-adds.
/// </summary>
public static class MatrixVector
{
    /// <summary>Computes <c>y = W x + b</c>.</summary>
    /// <param name="weights">Row-major <c>[y.Length, x.Length]</c>.</param>
    /// <param name="x">Input vector; must not overlap <paramref name="y"/>.</param>
    /// <param name="bias">Empty (no bias) or <c>y.Length</c> values; may be exactly the same span as <paramref name="y"/>
    /// (the recurrent step of an LSTM adds <c>W h</c> to the precomputed input gates in place).</param>
    /// <param name="y">Output vector.</param>
    public static void Multiply(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y) =>
        Multiply(SimdTiers.Best, weights, x, bias, y);

    /// <summary>Same as the public overload, on a chosen tier (tests call every tier).</summary>
    internal static void Multiply(SimdTier tier, ReadOnlySpan<float> weights, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        Guard.Length(weights.Length, (long)y.Length * x.Length, nameof(weights));
        Guard.OptionalBias(bias.Length, y.Length, nameof(bias));
        Guard.Tier(tier, nameof(tier));
        switch (tier)
        {
            case SimdTier.Vector512:
                Run<Simd512, Vector512<float>>(weights, x, bias, y);
                break;
            case SimdTier.Vector256:
                Run<Simd256, Vector256<float>>(weights, x, bias, y);
                break;
            case SimdTier.Vector128:
                Run<Simd128, Vector128<float>>(weights, x, bias, y);
                break;
            default:
                Run<SimdScalar, float>(weights, x, bias, y);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOps, TVec>(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        int rows = y.Length;
        int cols = x.Length;
        bool hasBias = !bias.IsEmpty;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            DotBlocks.Dot4x1<TOps, TVec>(
                ref Unsafe.Add(ref w, (nint)r * cols), cols, ref xr, cols,
                out float s0, out float s1, out float s2, out float s3);
            if (hasBias)
            {
                s0 += bias[r];
                s1 += bias[r + 1];
                s2 += bias[r + 2];
                s3 += bias[r + 3];
            }

            y[r] = s0;
            y[r + 1] = s1;
            y[r + 2] = s2;
            y[r + 3] = s3;
        }

        for (; r < rows; r++)
        {
            float s = DotBlocks.Dot1<TOps, TVec>(ref Unsafe.Add(ref w, (nint)r * cols), ref xr, cols);
            y[r] = hasBias ? s + bias[r] : s;
        }
    }
}
