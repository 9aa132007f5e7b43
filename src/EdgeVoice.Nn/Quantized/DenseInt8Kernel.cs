using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeVoice.Nn;

/// <summary>
/// The x86 (AVX2 / AVX-VNNI) product of a dense row-major int8 matrix with quantized activations, blocked four
/// output rows at a time (eight for a single frame): each activation vector is loaded and prepared once for four rows (and each weight vector
/// used for two frames), the four rows' sums are reduced together, and the epilogue <c>sum · (scale · s_x) + b</c>
/// runs on four rows at once with the same float operations, in the same order, as <see cref="Int8Matrix.Epilogue"/>.
/// Columns past the last whole 32 are summed in scalar code.
/// </summary>
internal static class DenseInt8Kernel
{
    private const int Width = 32;

    /// <summary>
    /// <c>output[t, r] = (Σ_c w[r, c]·x[t, c]) · (scales[r] · xScales[t]) + bias[r]</c> for every frame t and row r.
    /// </summary>
    /// <param name="w">Row-major weights <c>[rows, cols]</c>.</param>
    /// <param name="offsets">Per row <c>128·Σ w[r, c]</c> over the vectorised columns (<c>c &lt; cols - cols % 32</c>), used by zero-point steps.</param>
    /// <param name="x">Quantized activations, frame t at <c>t · xStride</c>.</param>
    /// <param name="bias">Empty or <c>rows</c> values; may be the output when there is one frame.</param>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TStep>(
        ref sbyte w, int rows, int cols, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ReadOnlySpan<sbyte> x, int xStride, ReadOnlySpan<float> xScales, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        int frames = xScales.Length;
        int vectorEnd = cols - (cols % Width);
        ref sbyte xr = ref MemoryMarshal.GetReference(x);
        int r = 0;
        if (frames == 1)
        {
            r = OneFrame8Rows<TStep>(ref w, rows, cols, vectorEnd, scales, offsets, ref xr, xScales[0], bias, output);
        }

        for (; r < rows; r += 4)
        {
            int valid = Math.Min(4, rows - r);
            ref sbyte w0 = ref Unsafe.Add(ref w, (nint)r * cols);
            ref sbyte w1 = ref Unsafe.Add(ref w, (nint)Math.Min(r + 1, rows - 1) * cols);
            ref sbyte w2 = ref Unsafe.Add(ref w, (nint)Math.Min(r + 2, rows - 1) * cols);
            ref sbyte w3 = ref Unsafe.Add(ref w, (nint)Math.Min(r + 3, rows - 1) * cols);
            Vector128<float> ws = Load4(scales, r, valid);
            Vector128<float> b = bias.IsEmpty ? Vector128<float>.Zero : Load4(bias, r, valid);
            Vector128<int> offset = TStep.AddsZeroPoint ? Load4(offsets, r, valid) : Vector128<int>.Zero;
            int t = 0;
            for (; t + 2 <= frames; t += 2)
            {
                ref sbyte x0 = ref Unsafe.Add(ref xr, (nint)t * xStride);
                ref sbyte x1 = ref Unsafe.Add(ref x0, xStride);
                (Vector128<int> s0, Vector128<int> s1) = Rows4Frames2<TStep>(ref w0, ref w1, ref w2, ref w3, ref x0, ref x1, vectorEnd);
                s0 = s0 - offset + Tail4(ref w0, ref w1, ref w2, ref w3, ref x0, vectorEnd, cols);
                s1 = s1 - offset + Tail4(ref w0, ref w1, ref w2, ref w3, ref x1, vectorEnd, cols);
                Store4(Epilogue4(s0, ws, xScales[t], b), output, (t * rows) + r, valid);
                Store4(Epilogue4(s1, ws, xScales[t + 1], b), output, ((t + 1) * rows) + r, valid);
            }

            if (t < frames)
            {
                ref sbyte x0 = ref Unsafe.Add(ref xr, (nint)t * xStride);
                Vector128<int> s0 = Rows4Frame1<TStep>(ref w0, ref w1, ref w2, ref w3, ref x0, vectorEnd);
                s0 = s0 - offset + Tail4(ref w0, ref w1, ref w2, ref w3, ref x0, vectorEnd, cols);
                Store4(Epilogue4(s0, ws, xScales[t], b), output, (t * rows) + r, valid);
            }
        }
    }

    /// <summary>
    /// One frame, eight rows per pass (one accumulator each: eight independent chains), for every whole group of eight
    /// rows; returns the first row not done. Eight rows share each activation load and one epilogue.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int OneFrame8Rows<TStep>(
        ref sbyte w, int rows, int cols, int vectorEnd, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ref sbyte x, float xScale, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        ref float scaleRef = ref MemoryMarshal.GetReference(scales);
        ref int offsetRef = ref MemoryMarshal.GetReference(offsets);
        ref float biasRef = ref MemoryMarshal.GetReference(bias);
        ref float outputRef = ref MemoryMarshal.GetReference(output);
        Vector256<float> xs = Vector256.Create(xScale);
        nint stride = cols;
        int r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            ref sbyte w0 = ref Unsafe.Add(ref w, r * stride);
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<int> a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < vectorEnd; i += Width)
            {
                Vector256<sbyte> xv = Vector256.LoadUnsafe(ref x, (nuint)i);
                Vector256<byte> p = TStep.Prepare(xv);
                ref sbyte wi = ref Unsafe.Add(ref w0, i);
                a0 = TStep.Step(a0, p, xv, Vector256.LoadUnsafe(ref wi));
                a1 = TStep.Step(a1, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, stride)));
                a2 = TStep.Step(a2, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 2 * stride)));
                a3 = TStep.Step(a3, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 3 * stride)));
                a4 = TStep.Step(a4, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 4 * stride)));
                a5 = TStep.Step(a5, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 5 * stride)));
                a6 = TStep.Step(a6, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 6 * stride)));
                a7 = TStep.Step(a7, p, xv, Vector256.LoadUnsafe(ref Unsafe.Add(ref wi, 7 * stride)));
            }

            Vector256<int> sums = Vector256.Create(Reduce4(a0, a1, a2, a3), Reduce4(a4, a5, a6, a7));
            if (TStep.AddsZeroPoint)
            {
                sums -= Vector256.LoadUnsafe(ref offsetRef, (nuint)r);
            }

            if (vectorEnd < cols)
            {
                sums += Vector256.Create(
                    Tail4(ref w0, ref Unsafe.Add(ref w0, stride), ref Unsafe.Add(ref w0, 2 * stride), ref Unsafe.Add(ref w0, 3 * stride), ref x, vectorEnd, cols),
                    Tail4(ref Unsafe.Add(ref w0, 4 * stride), ref Unsafe.Add(ref w0, 5 * stride), ref Unsafe.Add(ref w0, 6 * stride), ref Unsafe.Add(ref w0, 7 * stride), ref x, vectorEnd, cols));
            }

            Vector256<float> b = bias.IsEmpty ? Vector256<float>.Zero : Vector256.LoadUnsafe(ref biasRef, (nuint)r);
            Vector256<float> y = (Vector256.ConvertToSingle(sums) * (Vector256.LoadUnsafe(ref scaleRef, (nuint)r) * xs)) + b;
            y.StoreUnsafe(ref outputRef, (nuint)r);
        }

        return r;
    }

    /// <summary>Per row <c>128·Σ w[r, c]</c> over the columns the vector loop covers (wrapping int32 arithmetic, as the kernel's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] ZeroPointOffsets(ReadOnlySpan<sbyte> w, int rows, int cols)
    {
        var offsets = new int[rows];
        int vectorEnd = cols - (cols % Width);
        for (int r = 0; r < rows; r++)
        {
            int sum = 0;
            foreach (sbyte v in w.Slice(r * cols, vectorEnd))
            {
                sum += v;
            }

            offsets[r] = unchecked(sum * 128);
        }

        return offsets;
    }

    /// <summary>Four rows' 8-lane accumulators to one sum per row: <c>[Σ a0, Σ a1, Σ a2, Σ a3]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Reduce4(Vector256<int> a0, Vector256<int> a1, Vector256<int> a2, Vector256<int> a3)
    {
        Vector256<int> h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a0, a1), Avx2.HorizontalAdd(a2, a3));
        return h.GetLower() + h.GetUpper();
    }

    /// <summary><see cref="Int8Matrix.Epilogue"/> on four lanes: <c>float(sum) · (scale · xScale) + bias</c>, unfused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Epilogue4(Vector128<int> sums, Vector128<float> scales, float xScale, Vector128<float> bias) =>
        (Vector128.ConvertToSingle(sums) * (scales * Vector128.Create(xScale))) + bias;

    /// <summary>Values <c>[start, start + 4)</c>; past <paramref name="valid"/> the last valid value is repeated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load4(ReadOnlySpan<float> values, int start, int valid)
    {
        if (valid == 4)
        {
            return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)start);
        }

        int last = start + valid - 1;
        return Vector128.Create(values[start], values[Math.Min(start + 1, last)], values[Math.Min(start + 2, last)], values[Math.Min(start + 3, last)]);
    }

    /// <summary>Values <c>[start, start + 4)</c>; past <paramref name="valid"/> the last valid value is repeated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load4(ReadOnlySpan<int> values, int start, int valid)
    {
        if (valid == 4)
        {
            return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)start);
        }

        int last = start + valid - 1;
        return Vector128.Create(values[start], values[Math.Min(start + 1, last)], values[Math.Min(start + 2, last)], values[Math.Min(start + 3, last)]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store4(Vector128<float> y, Span<float> output, int start, int valid)
    {
        if (valid == 4)
        {
            y.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)start);
            return;
        }

        for (int j = 0; j < valid; j++)
        {
            output[start + j] = y.GetElement(j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<int> Tail4(ref sbyte w0, ref sbyte w1, ref sbyte w2, ref sbyte w3, ref sbyte x, int start, int cols)
    {
        if (start == cols)
        {
            return Vector128<int>.Zero;
        }

        int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = start; i < cols; i++)
        {
            int xi = Unsafe.Add(ref x, i);
            s0 += Unsafe.Add(ref w0, i) * xi;
            s1 += Unsafe.Add(ref w1, i) * xi;
            s2 += Unsafe.Add(ref w2, i) * xi;
            s3 += Unsafe.Add(ref w3, i) * xi;
        }

        return Vector128.Create(s0, s1, s2, s3);
    }

    /// <summary>Four rows against two frames: eight independent accumulators, each weight vector used twice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<int>, Vector128<int>) Rows4Frames2<TStep>(
        ref sbyte w0, ref sbyte w1, ref sbyte w2, ref sbyte w3, ref sbyte x0, ref sbyte x1, int vectorEnd)
        where TStep : struct, IInt8Step
    {
        Vector256<int> a00 = default, a10 = default, a20 = default, a30 = default;
        Vector256<int> a01 = default, a11 = default, a21 = default, a31 = default;
        for (int i = 0; i < vectorEnd; i += Width)
        {
            Vector256<sbyte> xa = Vector256.LoadUnsafe(ref x0, (nuint)i);
            Vector256<sbyte> xb = Vector256.LoadUnsafe(ref x1, (nuint)i);
            Vector256<byte> pa = TStep.Prepare(xa);
            Vector256<byte> pb = TStep.Prepare(xb);
            Vector256<sbyte> w = Vector256.LoadUnsafe(ref w0, (nuint)i);
            a00 = TStep.Step(a00, pa, xa, w);
            a01 = TStep.Step(a01, pb, xb, w);
            w = Vector256.LoadUnsafe(ref w1, (nuint)i);
            a10 = TStep.Step(a10, pa, xa, w);
            a11 = TStep.Step(a11, pb, xb, w);
            w = Vector256.LoadUnsafe(ref w2, (nuint)i);
            a20 = TStep.Step(a20, pa, xa, w);
            a21 = TStep.Step(a21, pb, xb, w);
            w = Vector256.LoadUnsafe(ref w3, (nuint)i);
            a30 = TStep.Step(a30, pa, xa, w);
            a31 = TStep.Step(a31, pb, xb, w);
        }

        return (Reduce4(a00, a10, a20, a30), Reduce4(a01, a11, a21, a31));
    }

    /// <summary>Four rows against one frame, two accumulators per row (64 columns per pass) to hide the step's latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Rows4Frame1<TStep>(ref sbyte w0, ref sbyte w1, ref sbyte w2, ref sbyte w3, ref sbyte x, int vectorEnd)
        where TStep : struct, IInt8Step
    {
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i + (2 * Width) <= vectorEnd; i += 2 * Width)
        {
            Vector256<sbyte> xa = Vector256.LoadUnsafe(ref x, (nuint)i);
            Vector256<sbyte> xb = Vector256.LoadUnsafe(ref x, (nuint)(i + Width));
            Vector256<byte> pa = TStep.Prepare(xa);
            Vector256<byte> pb = TStep.Prepare(xb);
            a0 = TStep.Step(a0, pa, xa, Vector256.LoadUnsafe(ref w0, (nuint)i));
            c0 = TStep.Step(c0, pb, xb, Vector256.LoadUnsafe(ref w0, (nuint)(i + Width)));
            a1 = TStep.Step(a1, pa, xa, Vector256.LoadUnsafe(ref w1, (nuint)i));
            c1 = TStep.Step(c1, pb, xb, Vector256.LoadUnsafe(ref w1, (nuint)(i + Width)));
            a2 = TStep.Step(a2, pa, xa, Vector256.LoadUnsafe(ref w2, (nuint)i));
            c2 = TStep.Step(c2, pb, xb, Vector256.LoadUnsafe(ref w2, (nuint)(i + Width)));
            a3 = TStep.Step(a3, pa, xa, Vector256.LoadUnsafe(ref w3, (nuint)i));
            c3 = TStep.Step(c3, pb, xb, Vector256.LoadUnsafe(ref w3, (nuint)(i + Width)));
        }

        if (i < vectorEnd)
        {
            Vector256<sbyte> xa = Vector256.LoadUnsafe(ref x, (nuint)i);
            Vector256<byte> pa = TStep.Prepare(xa);
            a0 = TStep.Step(a0, pa, xa, Vector256.LoadUnsafe(ref w0, (nuint)i));
            a1 = TStep.Step(a1, pa, xa, Vector256.LoadUnsafe(ref w1, (nuint)i));
            a2 = TStep.Step(a2, pa, xa, Vector256.LoadUnsafe(ref w2, (nuint)i));
            a3 = TStep.Step(a3, pa, xa, Vector256.LoadUnsafe(ref w3, (nuint)i));
        }

        return Reduce4(Avx2.Add(a0, c0), Avx2.Add(a1, c1), Avx2.Add(a2, c2), Avx2.Add(a3, c3));
    }
}
