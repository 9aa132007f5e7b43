using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeVoice.Nn;

/// <summary>
/// Exact int8 dot products into int32, one routine per <see cref="Int8Path"/>. Operands hold values in
/// [-127, 127] (symmetric quantization never produces -128), so the x86 trick <c>maddubs(|w|, sign(x, w))</c>
/// never saturates: each int16 lane holds at most 2·127·127 = 32258. Sums stay exact in int32 for up to
/// <see cref="MaxColumns"/> terms. Dense rows are contiguous; sparse rows are 1×16 blocks
/// (<see cref="BlockSparseInt8Matrix"/>) whose packed values are contiguous and whose block columns index
/// into a zero-padded activation row.
/// </summary>
internal static class Int8Dot
{
    /// <summary>Terms per sum for which 127·127·n fits in an int32.</summary>
    public const int MaxColumns = 131072;

    public const int BlockSize = 16;

    /// <summary>Σ w[i]·x[i] for i &lt; n.</summary>
    public static int Dense(Int8Path path, ref sbyte w, ref sbyte x, int n) => path switch
    {
        Int8Path.AvxVnni => DenseVnni(ref w, ref x, n),
        Int8Path.Avx2 => DenseAvx2(ref w, ref x, n),
        Int8Path.Vector128 => DensePortable(ref w, ref x, n),
        _ => DenseScalar(ref w, ref x, 0, n, 0),
    };

    /// <summary>One weight row against four activation rows <paramref name="xStride"/> apart (each weight load used four times).</summary>
    public static void Dense1x4(Int8Path path, ref sbyte w, ref sbyte x, nint xStride, int n, Span<int> sums)
    {
        switch (path)
        {
            case Int8Path.AvxVnni:
            case Int8Path.Avx2:
                DenseX86x4(path == Int8Path.AvxVnni, ref w, ref x, xStride, n, sums);
                break;
            default:
                for (int t = 0; t < 4; t++)
                {
                    sums[t] = Dense(path, ref w, ref Unsafe.Add(ref x, t * xStride), n);
                }

                break;
        }
    }

    /// <summary>Σ over the row's blocks k of packed[16k .. 16k+15] · x[16·cols[k] .. +15].</summary>
    public static int Sparse(Int8Path path, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x) => path switch
    {
        Int8Path.AvxVnni or Int8Path.Avx2 => SparseX86(path == Int8Path.AvxVnni, ref packed, cols, ref x),
        Int8Path.Vector128 => SparsePortable(ref packed, cols, ref x),
        _ => SparseScalar(ref packed, cols, ref x),
    };

    /// <summary>One sparse weight row against four activation rows <paramref name="xStride"/> apart.</summary>
    public static void Sparse1x4(Int8Path path, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x, nint xStride, Span<int> sums)
    {
        if (path is Int8Path.AvxVnni or Int8Path.Avx2)
        {
            SparseX86x4(path == Int8Path.AvxVnni, ref packed, cols, ref x, xStride, sums);
            return;
        }

        for (int t = 0; t < 4; t++)
        {
            sums[t] = Sparse(path, ref packed, cols, ref Unsafe.Add(ref x, t * xStride));
        }
    }

    private static int DenseScalar(ref sbyte w, ref sbyte x, int start, int n, int sum)
    {
        for (int i = start; i < n; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        }

        return sum;
    }

    private static int DensePortable(ref sbyte w, ref sbyte x, int n)
    {
        Vector128<int> acc = Vector128<int>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            acc += Products16(Vector128.LoadUnsafe(ref w, (nuint)i), Vector128.LoadUnsafe(ref x, (nuint)i));
        }

        return DenseScalar(ref w, ref x, i, n, Vector128.Sum(acc));
    }

    /// <summary>Sixteen products summed into four int32 lanes by widening (exact: |w·x| ≤ 16129 fits int16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Products16(Vector128<sbyte> w, Vector128<sbyte> x)
    {
        (Vector128<short> wl, Vector128<short> wh) = Vector128.Widen(w);
        (Vector128<short> xl, Vector128<short> xh) = Vector128.Widen(x);
        (Vector128<int> p0, Vector128<int> p1) = Vector128.Widen(wl * xl);
        (Vector128<int> p2, Vector128<int> p3) = Vector128.Widen(wh * xh);
        return (p0 + p1) + (p2 + p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Step256(bool vnni, Vector256<int> acc, Vector256<byte> absW, Vector256<sbyte> signedX)
    {
        if (vnni)
        {
            return AvxVnni.MultiplyWideningAndAdd(acc, absW, signedX);
        }

        Vector256<short> pairs = Avx2.MultiplyAddAdjacent(absW, signedX);
        return Avx2.Add(acc, Avx2.MultiplyAddAdjacent(pairs, Vector256<short>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Step128(Vector128<int> acc, Vector128<sbyte> w, Vector128<sbyte> x)
    {
        Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(Ssse3.Abs(w), Ssse3.Sign(x, w));
        return Sse2.Add(acc, Sse2.MultiplyAddAdjacent(pairs, Vector128<short>.One));
    }

    private static int DenseAvx2(ref sbyte w, ref sbyte x, int n) => DenseX86(false, ref w, ref x, n);

    private static int DenseVnni(ref sbyte w, ref sbyte x, int n) => DenseX86(true, ref w, ref x, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DenseX86(bool vnni, ref sbyte w, ref sbyte x, int n)
    {
        Vector256<int> a0 = Vector256<int>.Zero, a1 = Vector256<int>.Zero;
        int i = 0;
        for (; i + 64 <= n; i += 64)
        {
            Vector256<sbyte> w0 = Vector256.LoadUnsafe(ref w, (nuint)i);
            Vector256<sbyte> w1 = Vector256.LoadUnsafe(ref w, (nuint)(i + 32));
            a0 = Step256(vnni, a0, Avx2.Abs(w0), Avx2.Sign(Vector256.LoadUnsafe(ref x, (nuint)i), w0));
            a1 = Step256(vnni, a1, Avx2.Abs(w1), Avx2.Sign(Vector256.LoadUnsafe(ref x, (nuint)(i + 32)), w1));
        }

        for (; i + 32 <= n; i += 32)
        {
            Vector256<sbyte> w0 = Vector256.LoadUnsafe(ref w, (nuint)i);
            a0 = Step256(vnni, a0, Avx2.Abs(w0), Avx2.Sign(Vector256.LoadUnsafe(ref x, (nuint)i), w0));
        }

        Vector128<int> tail = Vector128<int>.Zero;
        for (; i + 16 <= n; i += 16)
        {
            tail = Step128(tail, Vector128.LoadUnsafe(ref w, (nuint)i), Vector128.LoadUnsafe(ref x, (nuint)i));
        }

        return DenseScalar(ref w, ref x, i, n, Vector256.Sum(Avx2.Add(a0, a1)) + Vector128.Sum(tail));
    }

    private static void DenseX86x4(bool vnni, ref sbyte w, ref sbyte x, nint xStride, int n, Span<int> sums)
    {
        ref sbyte x0 = ref x;
        ref sbyte x1 = ref Unsafe.Add(ref x, xStride);
        ref sbyte x2 = ref Unsafe.Add(ref x, 2 * xStride);
        ref sbyte x3 = ref Unsafe.Add(ref x, 3 * xStride);
        Vector256<int> a0 = Vector256<int>.Zero, a1 = Vector256<int>.Zero, a2 = Vector256<int>.Zero, a3 = Vector256<int>.Zero;
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            Vector256<sbyte> wv = Vector256.LoadUnsafe(ref w, (nuint)i);
            Vector256<byte> absW = Avx2.Abs(wv);
            a0 = Step256(vnni, a0, absW, Avx2.Sign(Vector256.LoadUnsafe(ref x0, (nuint)i), wv));
            a1 = Step256(vnni, a1, absW, Avx2.Sign(Vector256.LoadUnsafe(ref x1, (nuint)i), wv));
            a2 = Step256(vnni, a2, absW, Avx2.Sign(Vector256.LoadUnsafe(ref x2, (nuint)i), wv));
            a3 = Step256(vnni, a3, absW, Avx2.Sign(Vector256.LoadUnsafe(ref x3, (nuint)i), wv));
        }

        Vector128<int> t0 = Vector128<int>.Zero, t1 = Vector128<int>.Zero, t2 = Vector128<int>.Zero, t3 = Vector128<int>.Zero;
        for (; i + 16 <= n; i += 16)
        {
            Vector128<sbyte> wv = Vector128.LoadUnsafe(ref w, (nuint)i);
            t0 = Step128(t0, wv, Vector128.LoadUnsafe(ref x0, (nuint)i));
            t1 = Step128(t1, wv, Vector128.LoadUnsafe(ref x1, (nuint)i));
            t2 = Step128(t2, wv, Vector128.LoadUnsafe(ref x2, (nuint)i));
            t3 = Step128(t3, wv, Vector128.LoadUnsafe(ref x3, (nuint)i));
        }

        sums[0] = DenseScalar(ref w, ref x0, i, n, Vector256.Sum(a0) + Vector128.Sum(t0));
        sums[1] = DenseScalar(ref w, ref x1, i, n, Vector256.Sum(a1) + Vector128.Sum(t1));
        sums[2] = DenseScalar(ref w, ref x2, i, n, Vector256.Sum(a2) + Vector128.Sum(t2));
        sums[3] = DenseScalar(ref w, ref x3, i, n, Vector256.Sum(a3) + Vector128.Sum(t3));
    }

    private static int SparseScalar(ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x)
    {
        int sum = 0;
        for (int k = 0; k < cols.Length; k++)
        {
            sum = DenseScalarBlock(ref Unsafe.Add(ref packed, k * BlockSize), ref Unsafe.Add(ref x, cols[k] * BlockSize), sum);
        }

        return sum;
    }

    private static int DenseScalarBlock(ref sbyte w, ref sbyte x, int sum)
    {
        for (int i = 0; i < BlockSize; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        }

        return sum;
    }

    private static int SparsePortable(ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x)
    {
        Vector128<int> acc = Vector128<int>.Zero;
        for (int k = 0; k < cols.Length; k++)
        {
            acc += Products16(Vector128.LoadUnsafe(ref packed, (nuint)(k * BlockSize)), Vector128.LoadUnsafe(ref x, (nuint)(cols[k] * BlockSize)));
        }

        return Vector128.Sum(acc);
    }

    /// <summary>Blocks in pairs: two consecutive packed blocks are one 256-bit load, their two activation blocks one 256-bit register.</summary>
    private static int SparseX86(bool vnni, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x)
    {
        Vector256<int> acc = Vector256<int>.Zero;
        int k = 0;
        for (; k + 2 <= cols.Length; k += 2)
        {
            Vector256<sbyte> wv = Vector256.LoadUnsafe(ref packed, (nuint)(k * BlockSize));
            Vector256<sbyte> xv = Vector256.Create(
                Vector128.LoadUnsafe(ref x, (nuint)(cols[k] * BlockSize)),
                Vector128.LoadUnsafe(ref x, (nuint)(cols[k + 1] * BlockSize)));
            acc = Step256(vnni, acc, Avx2.Abs(wv), Avx2.Sign(xv, wv));
        }

        Vector128<int> tail = Vector128<int>.Zero;
        if (k < cols.Length)
        {
            tail = Step128(tail, Vector128.LoadUnsafe(ref packed, (nuint)(k * BlockSize)), Vector128.LoadUnsafe(ref x, (nuint)(cols[k] * BlockSize)));
        }

        return Vector256.Sum(acc) + Vector128.Sum(tail);
    }

    private static void SparseX86x4(bool vnni, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x, nint xStride, Span<int> sums)
    {
        ref sbyte x0 = ref x;
        ref sbyte x1 = ref Unsafe.Add(ref x, xStride);
        ref sbyte x2 = ref Unsafe.Add(ref x, 2 * xStride);
        ref sbyte x3 = ref Unsafe.Add(ref x, 3 * xStride);
        Vector256<int> a0 = Vector256<int>.Zero, a1 = Vector256<int>.Zero, a2 = Vector256<int>.Zero, a3 = Vector256<int>.Zero;
        int k = 0;
        for (; k + 2 <= cols.Length; k += 2)
        {
            Vector256<sbyte> wv = Vector256.LoadUnsafe(ref packed, (nuint)(k * BlockSize));
            Vector256<byte> absW = Avx2.Abs(wv);
            nuint c0 = (nuint)(cols[k] * BlockSize), c1 = (nuint)(cols[k + 1] * BlockSize);
            a0 = Step256(vnni, a0, absW, Avx2.Sign(Vector256.Create(Vector128.LoadUnsafe(ref x0, c0), Vector128.LoadUnsafe(ref x0, c1)), wv));
            a1 = Step256(vnni, a1, absW, Avx2.Sign(Vector256.Create(Vector128.LoadUnsafe(ref x1, c0), Vector128.LoadUnsafe(ref x1, c1)), wv));
            a2 = Step256(vnni, a2, absW, Avx2.Sign(Vector256.Create(Vector128.LoadUnsafe(ref x2, c0), Vector128.LoadUnsafe(ref x2, c1)), wv));
            a3 = Step256(vnni, a3, absW, Avx2.Sign(Vector256.Create(Vector128.LoadUnsafe(ref x3, c0), Vector128.LoadUnsafe(ref x3, c1)), wv));
        }

        int s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
        if (k < cols.Length)
        {
            Vector128<sbyte> wv = Vector128.LoadUnsafe(ref packed, (nuint)(k * BlockSize));
            nuint c = (nuint)(cols[k] * BlockSize);
            s0 += Vector128.Sum(Step128(Vector128<int>.Zero, wv, Vector128.LoadUnsafe(ref x0, c)));
            s1 += Vector128.Sum(Step128(Vector128<int>.Zero, wv, Vector128.LoadUnsafe(ref x1, c)));
            s2 += Vector128.Sum(Step128(Vector128<int>.Zero, wv, Vector128.LoadUnsafe(ref x2, c)));
            s3 += Vector128.Sum(Step128(Vector128<int>.Zero, wv, Vector128.LoadUnsafe(ref x3, c)));
        }

        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }
}
