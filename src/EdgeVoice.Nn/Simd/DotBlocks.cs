using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn.Simd;

/// <summary>
/// Register-blocked dot products shared by the matrix kernels. Every result is computed the same way:
/// lane-wise fused multiply-adds over the vector part, a horizontal sum, then the scalar tail with
/// fused multiply-adds in index order. Rows are contiguous; consecutive rows are <c>stride</c> floats apart.
/// </summary>
internal static class DotBlocks
{
    /// <summary>One row times one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot1<TOps, TVec>(ref float a, ref float b, int length)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        int width = TOps.Count;
        int vectorEnd = length - (length % width);
        TVec acc = TOps.Zero;
        for (int i = 0; i < vectorEnd; i += width)
        {
            acc = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref a, i)), TOps.Load(in Unsafe.Add(ref b, i)), acc);
        }

        float sum = TOps.Sum(acc);
        for (int i = vectorEnd; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), sum);
        }

        return sum;
    }

    /// <summary>Four rows of <paramref name="a"/> (stride apart) times one row <paramref name="b"/>: each load of b is used four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4x1<TOps, TVec>(
        ref float a, nint stride, ref float b, int length,
        out float s0, out float s1, out float s2, out float s3)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        int width = TOps.Count;
        int vectorEnd = length - (length % width);
        ref float a0 = ref a;
        ref float a1 = ref Unsafe.Add(ref a, stride);
        ref float a2 = ref Unsafe.Add(ref a, 2 * stride);
        ref float a3 = ref Unsafe.Add(ref a, 3 * stride);
        TVec c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        for (int i = 0; i < vectorEnd; i += width)
        {
            TVec bv = TOps.Load(in Unsafe.Add(ref b, i));
            c0 = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref a0, i)), bv, c0);
            c1 = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref a1, i)), bv, c1);
            c2 = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref a2, i)), bv, c2);
            c3 = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref a3, i)), bv, c3);
        }

        s0 = TOps.Sum(c0);
        s1 = TOps.Sum(c1);
        s2 = TOps.Sum(c2);
        s3 = TOps.Sum(c3);
        for (int i = vectorEnd; i < length; i++)
        {
            float bi = Unsafe.Add(ref b, i);
            s0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a0, i), bi, s0);
            s1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a1, i), bi, s1);
            s2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a2, i), bi, s2);
            s3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a3, i), bi, s3);
        }
    }

    /// <summary>
    /// Four rows of <paramref name="a"/> times two rows of <paramref name="b"/> (the GEMM micro-kernel):
    /// six loads feed eight fused multiply-adds, with eight accumulators in registers.
    /// Results: s{row of a}{row of b}.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4x2<TOps, TVec>(
        ref float a, nint strideA, ref float b, nint strideB, int length,
        out float s00, out float s01, out float s10, out float s11,
        out float s20, out float s21, out float s30, out float s31)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        int width = TOps.Count;
        int vectorEnd = length - (length % width);
        ref float a0 = ref a;
        ref float a1 = ref Unsafe.Add(ref a, strideA);
        ref float a2 = ref Unsafe.Add(ref a, 2 * strideA);
        ref float a3 = ref Unsafe.Add(ref a, 3 * strideA);
        ref float b0 = ref b;
        ref float b1 = ref Unsafe.Add(ref b, strideB);
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero;
        for (int i = 0; i < vectorEnd; i += width)
        {
            TVec bv0 = TOps.Load(in Unsafe.Add(ref b0, i));
            TVec bv1 = TOps.Load(in Unsafe.Add(ref b1, i));
            TVec av = TOps.Load(in Unsafe.Add(ref a0, i));
            c00 = TOps.MultiplyAdd(av, bv0, c00);
            c01 = TOps.MultiplyAdd(av, bv1, c01);
            av = TOps.Load(in Unsafe.Add(ref a1, i));
            c10 = TOps.MultiplyAdd(av, bv0, c10);
            c11 = TOps.MultiplyAdd(av, bv1, c11);
            av = TOps.Load(in Unsafe.Add(ref a2, i));
            c20 = TOps.MultiplyAdd(av, bv0, c20);
            c21 = TOps.MultiplyAdd(av, bv1, c21);
            av = TOps.Load(in Unsafe.Add(ref a3, i));
            c30 = TOps.MultiplyAdd(av, bv0, c30);
            c31 = TOps.MultiplyAdd(av, bv1, c31);
        }

        s00 = TOps.Sum(c00);
        s01 = TOps.Sum(c01);
        s10 = TOps.Sum(c10);
        s11 = TOps.Sum(c11);
        s20 = TOps.Sum(c20);
        s21 = TOps.Sum(c21);
        s30 = TOps.Sum(c30);
        s31 = TOps.Sum(c31);
        for (int i = vectorEnd; i < length; i++)
        {
            float x0 = Unsafe.Add(ref b0, i);
            float x1 = Unsafe.Add(ref b1, i);
            float y0 = Unsafe.Add(ref a0, i);
            float y1 = Unsafe.Add(ref a1, i);
            float y2 = Unsafe.Add(ref a2, i);
            float y3 = Unsafe.Add(ref a3, i);
            s00 = MathF.FusedMultiplyAdd(y0, x0, s00);
            s01 = MathF.FusedMultiplyAdd(y0, x1, s01);
            s10 = MathF.FusedMultiplyAdd(y1, x0, s10);
            s11 = MathF.FusedMultiplyAdd(y1, x1, s11);
            s20 = MathF.FusedMultiplyAdd(y2, x0, s20);
            s21 = MathF.FusedMultiplyAdd(y2, x1, s21);
            s30 = MathF.FusedMultiplyAdd(y3, x0, s30);
            s31 = MathF.FusedMultiplyAdd(y3, x1, s31);
        }
    }
}
