using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeVoice.Nn.Simd;

namespace EdgeVoice.Nn;

/// <summary>
/// Matrix-matrix product <c>C = A Bᵀ + bias</c>: <c>A</c> is <c>[m, k]</c> (m frames), <c>B</c> is <c>[n, k]</c>
/// (a PyTorch Linear weight), <c>C</c> is <c>[m, n]</c>, all row-major; the bias is added to every row of C.
/// This is a Linear layer over m frames at once.
/// </summary>
/// <remarks>
/// Blocked for cache: the rows of B are taken in panels of about 128 KiB (kept in L2 while every row of A
/// streams past), and inside a panel a 4×2 register block (four rows of A, two rows of B) reuses each load.
/// </remarks>
public static class MatrixMultiply
{
    private const int PanelFloats = 32 * 1024;

    /// <summary>Computes <c>C = A Bᵀ + bias</c>.</summary>
    /// <param name="a">Row-major <c>[m, k]</c>.</param>
    /// <param name="b">Row-major <c>[n, k]</c>.</param>
    /// <param name="bias">Empty (no bias) or <c>n</c> values.</param>
    /// <param name="c">Row-major <c>[m, n]</c> output; must not overlap the inputs.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="k">Columns of A and B.</param>
    public static void MultiplyTransposed(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k) =>
        MultiplyTransposed(SimdTiers.Best, a, b, bias, c, m, n, k);

    /// <summary>Same as the public overload, on a chosen tier (tests call every tier).</summary>
    internal static void MultiplyTransposed(
        SimdTier tier, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k)
    {
        Guard.NotNegative(m, nameof(m));
        Guard.NotNegative(n, nameof(n));
        Guard.NotNegative(k, nameof(k));
        Guard.Length(a.Length, (long)m * k, nameof(a));
        Guard.Length(b.Length, (long)n * k, nameof(b));
        Guard.Length(c.Length, (long)m * n, nameof(c));
        Guard.OptionalBias(bias.Length, n, nameof(bias));
        Guard.Tier(tier, nameof(tier));
        switch (tier)
        {
            case SimdTier.Vector512:
                Run<Simd512, Vector512<float>>(a, b, bias, c, m, n, k);
                break;
            case SimdTier.Vector256:
                Run<Simd256, Vector256<float>>(a, b, bias, c, m, n, k);
                break;
            case SimdTier.Vector128:
                Run<Simd128, Vector128<float>>(a, b, bias, c, m, n, k);
                break;
            default:
                Run<SimdScalar, float>(a, b, bias, c, m, n, k);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOps, TVec>(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        bool hasBias = !bias.IsEmpty;
        int panel = Math.Max(2, PanelFloats / Math.Max(k, 1)) & ~1;
        for (int j0 = 0; j0 < n; j0 += panel)
        {
            int j1 = Math.Min(n, j0 + panel);
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                ref float aRow = ref Unsafe.Add(ref ar, (nint)i * k);
                ref float cRow = ref Unsafe.Add(ref cr, (nint)i * n);
                int j = j0;
                for (; j + 2 <= j1; j += 2)
                {
                    DotBlocks.Dot4x2<TOps, TVec>(
                        ref aRow, k, ref Unsafe.Add(ref br, (nint)j * k), k, k,
                        out float s00, out float s01, out float s10, out float s11,
                        out float s20, out float s21, out float s30, out float s31);
                    float b0 = hasBias ? bias[j] : 0f;
                    float b1 = hasBias ? bias[j + 1] : 0f;
                    Unsafe.Add(ref cRow, j) = s00 + b0;
                    Unsafe.Add(ref cRow, j + 1) = s01 + b1;
                    Unsafe.Add(ref cRow, n + j) = s10 + b0;
                    Unsafe.Add(ref cRow, n + j + 1) = s11 + b1;
                    Unsafe.Add(ref cRow, (2 * n) + j) = s20 + b0;
                    Unsafe.Add(ref cRow, (2 * n) + j + 1) = s21 + b1;
                    Unsafe.Add(ref cRow, (3 * n) + j) = s30 + b0;
                    Unsafe.Add(ref cRow, (3 * n) + j + 1) = s31 + b1;
                }

                if (j < j1)
                {
                    DotBlocks.Dot4x1<TOps, TVec>(
                        ref aRow, k, ref Unsafe.Add(ref br, (nint)j * k), k,
                        out float s0, out float s1, out float s2, out float s3);
                    float bj = hasBias ? bias[j] : 0f;
                    Unsafe.Add(ref cRow, j) = s0 + bj;
                    Unsafe.Add(ref cRow, n + j) = s1 + bj;
                    Unsafe.Add(ref cRow, (2 * n) + j) = s2 + bj;
                    Unsafe.Add(ref cRow, (3 * n) + j) = s3 + bj;
                }
            }

            for (; i < m; i++)
            {
                ref float aRow = ref Unsafe.Add(ref ar, (nint)i * k);
                ref float cRow = ref Unsafe.Add(ref cr, (nint)i * n);
                for (int j = j0; j < j1; j++)
                {
                    float s = DotBlocks.Dot1<TOps, TVec>(ref aRow, ref Unsafe.Add(ref br, (nint)j * k), k);
                    Unsafe.Add(ref cRow, j) = hasBias ? s + bias[j] : s;
                }
            }
        }
    }
}
