using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn;

/// <summary>
/// Exact int8 dot products into int32 for the portable paths (<see cref="Int8Path.Scalar"/> and
/// <see cref="Int8Path.Vector128"/>), one row at a time; the x86 paths run the row-blocked
/// <see cref="DenseInt8Kernel"/> and <see cref="SparseInt8Kernel"/> instead. Operands hold values in [-127, 127]
/// (symmetric quantization never produces -128), and sums stay exact in int32 for up to <see cref="MaxColumns"/>
/// terms. Dense rows are contiguous; sparse rows are 1×16 blocks (<see cref="BlockSparseInt8Matrix"/>) whose
/// packed values are contiguous and whose block columns index into a zero-padded activation row.
/// </summary>
internal static class Int8Dot
{
    /// <summary>Terms per sum for which 127·127·n fits in an int32.</summary>
    public const int MaxColumns = 131072;

    public const int BlockSize = 16;

    /// <summary>Σ w[i]·x[i] for i &lt; n (Vector128 unless the path is Scalar).</summary>
    public static int Dense(Int8Path path, ref sbyte w, ref sbyte x, int n) =>
        path == Int8Path.Scalar ? DenseScalar(ref w, ref x, 0, n, 0) : DensePortable(ref w, ref x, n);

    /// <summary>One weight row against four activation rows <paramref name="xStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dense1x4(Int8Path path, ref sbyte w, ref sbyte x, nint xStride, int n, Span<int> sums)
    {
        for (int t = 0; t < 4; t++)
        {
            sums[t] = Dense(path, ref w, ref Unsafe.Add(ref x, t * xStride), n);
        }
    }

    /// <summary>Σ over the row's blocks k of packed[16k .. 16k+15] · x[16·cols[k] .. +15] (Vector128 unless the path is Scalar).</summary>
    public static int Sparse(Int8Path path, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x) =>
        path == Int8Path.Scalar ? SparseScalar(ref packed, cols, ref x) : SparsePortable(ref packed, cols, ref x);

    /// <summary>One sparse weight row against four activation rows <paramref name="xStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sparse1x4(Int8Path path, ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x, nint xStride, Span<int> sums)
    {
        for (int t = 0; t < 4; t++)
        {
            sums[t] = Sparse(path, ref packed, cols, ref Unsafe.Add(ref x, t * xStride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DenseScalar(ref sbyte w, ref sbyte x, int start, int n, int sum)
    {
        for (int i = start; i < n; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SparseScalar(ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x)
    {
        int sum = 0;
        for (int k = 0; k < cols.Length; k++)
        {
            sum = DenseScalarBlock(ref Unsafe.Add(ref packed, k * BlockSize), ref Unsafe.Add(ref x, cols[k] * BlockSize), sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DenseScalarBlock(ref sbyte w, ref sbyte x, int sum)
    {
        for (int i = 0; i < BlockSize; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SparsePortable(ref sbyte packed, ReadOnlySpan<ushort> cols, ref sbyte x)
    {
        Vector128<int> acc = Vector128<int>.Zero;
        for (int k = 0; k < cols.Length; k++)
        {
            acc += Products16(Vector128.LoadUnsafe(ref packed, (nuint)(k * BlockSize)), Vector128.LoadUnsafe(ref x, (nuint)(cols[k] * BlockSize)));
        }

        return Vector128.Sum(acc);
    }
}
