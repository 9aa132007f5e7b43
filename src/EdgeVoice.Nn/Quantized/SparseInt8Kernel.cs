using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeVoice.Nn;

/// <summary>
/// The x86 (AVX2 / AVX-VNNI) product of a <see cref="BlockSparseInt8Matrix"/> with quantized activations.
/// <list type="bullet">
/// <item>One frame: the activations are prepared once per call; four rows walk their stored blocks in lockstep, two
/// blocks per row and step (one 32-byte weight load, the two 16-byte activation blocks it needs in one register),
/// from the padded copy in <see cref="SparseRowGroups"/>; the four rows are reduced and finished together.</item>
/// <item>Several frames: the activations are rearranged once per call into frame pairs, block by block
/// (<c>[pair][block column][frame 2p, frame 2p+1][16]</c>), so a stored block, broadcast to both halves of a
/// register, meets two frames in one step with one contiguous load; a row's block list is walked once for up to eight frames.</item>
/// </list>
/// Pruned blocks cost nothing. Sums are exact; the epilogue is <see cref="Int8Matrix.Epilogue"/>'s.
/// </summary>
internal static class SparseInt8Kernel
{
    private const int BlockSize = Int8Dot.BlockSize;

    /// <summary>Pairs of frames per pass of the several-frames kernel (eight frames).</summary>
    private const int PairsPerPass = 4;

    /// <summary>Bytes of prepared and signed activations kept on the stack.</summary>
    private const int StackBytes = 8192;

    /// <summary>Bytes of the largest pair table (<see cref="SparseRowGroups.MaxTableBlocks"/>² pairs of 32 bytes).</summary>
    private const int TableStackBytes = SparseRowGroups.MaxTableBlocks * SparseRowGroups.MaxTableBlocks * 2 * BlockSize;

    /// <summary>
    /// <c>output[t, r] = (Σ over the row's blocks of packed · x[t]) · (scales[r] · xScales[t]) + bias[r]</c>.
    /// </summary>
    /// <param name="packed">The stored blocks, 16 values each, row by row.</param>
    /// <param name="rowStart">First block of each row, <c>rows + 1</c> entries.</param>
    /// <param name="blockColumns">Block column of each stored block.</param>
    /// <param name="groups">The same blocks in groups of four rows, for one frame.</param>
    /// <param name="offsets">Per row <c>128·Σ</c> of its stored values (zero-point steps).</param>
    /// <param name="x">Quantized activations <c>[frames, stride]</c>, zero-padded to whole blocks.</param>
    /// <param name="bias">Empty or <c>rows</c> values; may overlap the output (copied first when there are several frames).</param>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TStep>(
        ref sbyte packed, int[] rowStart, ushort[] blockColumns, Lazy<SparseRowGroups> groups, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ReadOnlySpan<sbyte> x, int stride, ReadOnlySpan<float> xScales, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        int frames = xScales.Length;
        int rows = rowStart.Length - 1;
        float[]? rentedBias = null;
        if (frames > 1 && !bias.IsEmpty && bias.Overlaps(output))
        {
            rentedBias = ArrayPool<float>.Shared.Rent(rows);
            bias.CopyTo(rentedBias);
            bias = rentedBias.AsSpan(0, rows);
        }

        int pairs = (frames + 1) / 2;
        int bytes = (TStep.UsesSignedActivations ? 2 : 1) * (frames == 1 ? stride : pairs * 2 * stride);
        byte[]? rented = bytes > StackBytes ? ArrayPool<byte>.Shared.Rent(bytes + 64) : null;
        Span<byte> buffer = rented is null ? Align64(stackalloc byte[StackBytes + 64]) : Align64(rented);
        ref ushort cols = ref MemoryMarshal.GetArrayDataReference(blockColumns);
        if (frames == 1)
        {
            Span<byte> prepared = buffer[..stride];
            Span<sbyte> signed = TStep.UsesSignedActivations ? MemoryMarshal.Cast<byte, sbyte>(buffer.Slice(stride, stride)) : default;
            Prepare<TStep>(x, prepared, signed);
            SparseRowGroups rowGroups = groups.Value;
            if (rowGroups.PairOffsets is not null)
            {
                int tableBytes = rowGroups.BlocksPerRow * rowGroups.BlocksPerRow * 2 * BlockSize;
                Span<byte> table = Align64(stackalloc byte[(2 * TableStackBytes) + 64]);
                Span<byte> preparedPairs = table[..tableBytes];
                Span<sbyte> signedPairs = TStep.UsesSignedActivations ? MemoryMarshal.Cast<byte, sbyte>(table.Slice(TableStackBytes, tableBytes)) : default;
                PairTable<TStep>(prepared, signed, rowGroups.BlocksPerRow, preparedPairs, signedPairs);
                OneFramePairTable<TStep>(rowGroups, rows, scales, offsets, preparedPairs, signedPairs, xScales[0], bias, output);
            }
            else
            {
                OneFrame<TStep>(rowGroups, rows, scales, offsets, prepared, signed, xScales[0], bias, output);
            }
        }
        else
        {
            int pairBytes = pairs * 2 * stride;
            Span<byte> prepared = buffer[..pairBytes];
            Span<sbyte> signed = TStep.UsesSignedActivations ? MemoryMarshal.Cast<byte, sbyte>(buffer.Slice(pairBytes, pairBytes)) : default;
            Interleave<TStep>(x, frames, stride, prepared, signed);
            for (int p = 0; p < pairs; p += PairsPerPass)
            {
                int passPairs = Math.Min(PairsPerPass, pairs - p);
                Frames<TStep>(ref packed, rowStart, ref cols, scales, offsets, prepared, signed, 2 * stride, p, passPairs, xScales, bias, output);
            }
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (rentedBias is not null)
        {
            ArrayPool<float>.Shared.Return(rentedBias);
        }
    }

    /// <summary>The part of <paramref name="buffer"/> from its first 64-byte boundary on (a table of 32-byte entries that never straddle a cache line).</summary>
    private static unsafe Span<byte> Align64(Span<byte> buffer)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
        int skip = (int)((64 - (address & 63)) & 63);
        return buffer[skip..(buffer.Length - 64 + skip)];
    }

    /// <summary>Per row <c>128·Σ</c> of its stored block values (wrapping int32 arithmetic, as the kernel's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] ZeroPointOffsets(ReadOnlySpan<sbyte> packed, int[] rowStart)
    {
        var offsets = new int[rowStart.Length - 1];
        for (int r = 0; r < offsets.Length; r++)
        {
            int sum = 0;
            foreach (sbyte v in packed[(rowStart[r] * BlockSize)..(rowStart[r + 1] * BlockSize)])
            {
                sum += v;
            }

            offsets[r] = unchecked(sum * 128);
        }

        return offsets;
    }

    /// <summary>Prepared (and, for steps that need them, signed) activations of one frame, 32 bytes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Prepare<TStep>(ReadOnlySpan<sbyte> x, Span<byte> prepared, Span<sbyte> signed)
        where TStep : struct, IInt8Step
    {
        // stride is a multiple of 16: a 16-byte remainder is prepared from a 32-byte vector whose upper half is zero.
        ref sbyte xr = ref MemoryMarshal.GetReference(x);
        ref byte pr = ref MemoryMarshal.GetReference(prepared);
        int i = 0;
        for (; i + 32 <= prepared.Length; i += 32)
        {
            TStep.Prepare(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref pr, (nuint)i);
        }

        if (i < prepared.Length)
        {
            TStep.Prepare(Vector256.Create(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128<sbyte>.Zero)).GetLower().StoreUnsafe(ref pr, (nuint)i);
        }

        if (TStep.UsesSignedActivations)
        {
            x[..prepared.Length].CopyTo(signed);
        }
    }

    /// <summary>Frames in pairs, block by block: <c>[pair][block column][2][16]</c>; an odd last frame is paired with zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave<TStep>(ReadOnlySpan<sbyte> x, int frames, int stride, Span<byte> prepared, Span<sbyte> signed)
        where TStep : struct, IInt8Step
    {
        ref sbyte xr = ref MemoryMarshal.GetReference(x);
        ref byte pr = ref MemoryMarshal.GetReference(prepared);
        ref sbyte sr = ref MemoryMarshal.GetReference(signed);
        int blocks = stride / BlockSize;
        for (int t = 0; t < frames; t += 2)
        {
            ref sbyte first = ref Unsafe.Add(ref xr, (nint)t * stride);
            ref sbyte second = ref Unsafe.Add(ref first, stride);
            nint pairBase = (nint)t * stride;
            for (int c = 0; c < blocks; c++)
            {
                Vector128<sbyte> lower = Vector128.LoadUnsafe(ref first, (nuint)(c * BlockSize));
                Vector128<sbyte> upper = t + 1 < frames ? Vector128.LoadUnsafe(ref second, (nuint)(c * BlockSize)) : Vector128<sbyte>.Zero;
                Vector256<sbyte> both = Vector256.Create(lower, upper);
                nuint at = (nuint)(pairBase + (c * 2 * BlockSize));
                TStep.Prepare(both).StoreUnsafe(ref pr, at);
                if (TStep.UsesSignedActivations)
                {
                    both.StoreUnsafe(ref sr, at);
                }
            }
        }
    }

    /// <summary>One frame: the rows' block pairs in lockstep, four rows per group (<see cref="SparseRowGroups"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneFrame<TStep>(
        SparseRowGroups groups, int rows, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ReadOnlySpan<byte> prepared, ReadOnlySpan<sbyte> signed, float xScale, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        ref byte pr = ref MemoryMarshal.GetReference(prepared);
        ref sbyte sr = ref MemoryMarshal.GetReference(signed);
        ref int groupStart = ref MemoryMarshal.GetArrayDataReference(groups.GroupStart);
        ref sbyte weights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(groups.Weights), groups.WeightsStart);
        ref int columns = ref MemoryMarshal.GetArrayDataReference(groups.Offsets);
        Span<int> placeSums = stackalloc int[groups.Rows.Length];
        ref int sums = ref MemoryMarshal.GetReference(placeSums);
        for (int g = 0; 4 * g < rows; g++)
        {
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            int end = Unsafe.Add(ref groupStart, g + 1);
            for (int step = Unsafe.Add(ref groupStart, g); step < end; step++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, (nint)step * SparseRowGroups.StepBytes);
                ref int c = ref Unsafe.Add(ref columns, (nint)step * 8);
                a0 = PairStep<TStep>(a0, ref pr, ref sr, ref c, ref w);
                a1 = PairStep<TStep>(a1, ref pr, ref sr, ref Unsafe.Add(ref c, 2), ref Unsafe.Add(ref w, 2 * BlockSize));
                a2 = PairStep<TStep>(a2, ref pr, ref sr, ref Unsafe.Add(ref c, 4), ref Unsafe.Add(ref w, 4 * BlockSize));
                a3 = PairStep<TStep>(a3, ref pr, ref sr, ref Unsafe.Add(ref c, 6), ref Unsafe.Add(ref w, 6 * BlockSize));
            }

            DenseInt8Kernel.Reduce4(a0, a1, a2, a3).StoreUnsafe(ref sums, (nuint)(4 * g));
        }

        FinishRows<TStep>(placeSums, groups.Places, rows, scales, offsets, xScale, bias, output);
    }

    /// <summary>Every ordered pair of the frame's activation blocks, 32 bytes each: entry <c>c0·blocks + c1</c> is block c0 then block c1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PairTable<TStep>(ReadOnlySpan<byte> prepared, ReadOnlySpan<sbyte> signed, int blocks, Span<byte> preparedPairs, Span<sbyte> signedPairs)
        where TStep : struct, IInt8Step
    {
        ref byte pr = ref MemoryMarshal.GetReference(prepared);
        ref sbyte sr = ref MemoryMarshal.GetReference(signed);
        ref byte pt = ref MemoryMarshal.GetReference(preparedPairs);
        ref sbyte st = ref MemoryMarshal.GetReference(signedPairs);
        for (int c0 = 0; c0 < blocks; c0++)
        {
            Vector128<byte> first = Vector128.LoadUnsafe(ref pr, (nuint)(c0 * BlockSize));
            Vector128<sbyte> firstSigned = TStep.UsesSignedActivations ? Vector128.LoadUnsafe(ref sr, (nuint)(c0 * BlockSize)) : default;
            for (int c1 = 0; c1 < blocks; c1++)
            {
                nuint at = (nuint)(((c0 * blocks) + c1) * 2 * BlockSize);
                Vector256.Create(first, Vector128.LoadUnsafe(ref pr, (nuint)(c1 * BlockSize))).StoreUnsafe(ref pt, at);
                if (TStep.UsesSignedActivations)
                {
                    Vector256.Create(firstSigned, Vector128.LoadUnsafe(ref sr, (nuint)(c1 * BlockSize))).StoreUnsafe(ref st, at);
                }
            }
        }
    }

    /// <summary><see cref="OneFrame"/> with each step's activations one load from the pair table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneFramePairTable<TStep>(
        SparseRowGroups groups, int rows, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ReadOnlySpan<byte> preparedPairs, ReadOnlySpan<sbyte> signedPairs, float xScale, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        ref byte pt = ref MemoryMarshal.GetReference(preparedPairs);
        ref sbyte st = ref MemoryMarshal.GetReference(signedPairs);
        ref int groupStart = ref MemoryMarshal.GetArrayDataReference(groups.GroupStart);
        ref sbyte weights = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(groups.Weights), groups.WeightsStart);
        ref ushort pairs = ref MemoryMarshal.GetArrayDataReference(groups.PairOffsets!);
        Span<int> placeSums = stackalloc int[groups.Rows.Length];
        ref int sums = ref MemoryMarshal.GetReference(placeSums);
        for (int g = 0; 4 * g < rows; g++)
        {
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<int> b0 = default, b1 = default, b2 = default, b3 = default;
            int end = Unsafe.Add(ref groupStart, g + 1);
            int step = Unsafe.Add(ref groupStart, g);
            for (; step + 1 < end; step += 2) // two steps into two accumulator sets: eight independent chains
            {
                ref sbyte w = ref Unsafe.Add(ref weights, (nint)step * SparseRowGroups.StepBytes);
                ref ushort c = ref Unsafe.Add(ref pairs, (nint)step * 4);
                ulong first = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref c));
                ulong second = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref c, 4)));
                nuint o0 = (nuint)(first & 0xFFFF), o1 = (nuint)((first >> 16) & 0xFFFF), o2 = (nuint)((first >> 32) & 0xFFFF), o3 = (nuint)(first >> 48);
                nuint p0 = (nuint)(second & 0xFFFF), p1 = (nuint)((second >> 16) & 0xFFFF), p2 = (nuint)((second >> 32) & 0xFFFF), p3 = (nuint)(second >> 48);
                a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref pt, o0), Signed<TStep>(ref st, o0), Vector256.LoadUnsafe(ref w));
                b0 = TStep.Step(b0, Vector256.LoadUnsafe(ref pt, p0), Signed<TStep>(ref st, p0), Vector256.LoadUnsafe(ref w, SparseRowGroups.StepBytes));
                a1 = TStep.Step(a1, Vector256.LoadUnsafe(ref pt, o1), Signed<TStep>(ref st, o1), Vector256.LoadUnsafe(ref w, 2 * BlockSize));
                b1 = TStep.Step(b1, Vector256.LoadUnsafe(ref pt, p1), Signed<TStep>(ref st, p1), Vector256.LoadUnsafe(ref w, SparseRowGroups.StepBytes + (2 * BlockSize)));
                a2 = TStep.Step(a2, Vector256.LoadUnsafe(ref pt, o2), Signed<TStep>(ref st, o2), Vector256.LoadUnsafe(ref w, 4 * BlockSize));
                b2 = TStep.Step(b2, Vector256.LoadUnsafe(ref pt, p2), Signed<TStep>(ref st, p2), Vector256.LoadUnsafe(ref w, SparseRowGroups.StepBytes + (4 * BlockSize)));
                a3 = TStep.Step(a3, Vector256.LoadUnsafe(ref pt, o3), Signed<TStep>(ref st, o3), Vector256.LoadUnsafe(ref w, 6 * BlockSize));
                b3 = TStep.Step(b3, Vector256.LoadUnsafe(ref pt, p3), Signed<TStep>(ref st, p3), Vector256.LoadUnsafe(ref w, SparseRowGroups.StepBytes + (6 * BlockSize)));
            }

            if (step < end)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, (nint)step * SparseRowGroups.StepBytes);
                ulong first = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref pairs, (nint)step * 4)));
                nuint o0 = (nuint)(first & 0xFFFF), o1 = (nuint)((first >> 16) & 0xFFFF), o2 = (nuint)((first >> 32) & 0xFFFF), o3 = (nuint)(first >> 48);
                a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref pt, o0), Signed<TStep>(ref st, o0), Vector256.LoadUnsafe(ref w));
                a1 = TStep.Step(a1, Vector256.LoadUnsafe(ref pt, o1), Signed<TStep>(ref st, o1), Vector256.LoadUnsafe(ref w, 2 * BlockSize));
                a2 = TStep.Step(a2, Vector256.LoadUnsafe(ref pt, o2), Signed<TStep>(ref st, o2), Vector256.LoadUnsafe(ref w, 4 * BlockSize));
                a3 = TStep.Step(a3, Vector256.LoadUnsafe(ref pt, o3), Signed<TStep>(ref st, o3), Vector256.LoadUnsafe(ref w, 6 * BlockSize));
            }

            DenseInt8Kernel.Reduce4(a0 + b0, a1 + b1, a2 + b2, a3 + b3).StoreUnsafe(ref sums, (nuint)(4 * g));
        }

        FinishRows<TStep>(placeSums, groups.Places, rows, scales, offsets, xScale, bias, output);
    }

    /// <summary>
    /// The one-frame epilogue in row order: row r's sum is <c>placeSums[places[r]]</c> (the groups hold the rows
    /// ordered by length); then the zero-point correction, scale and bias, eight rows at a time with one gather.
    /// Per row the same operations as <see cref="DenseInt8Kernel.Epilogue4"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRows<TStep>(
        ReadOnlySpan<int> placeSums, int[] places, int rows, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        float xScale, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        ref int sums = ref MemoryMarshal.GetReference(placeSums);
        ref int place = ref MemoryMarshal.GetArrayDataReference(places);
        ref float ws = ref MemoryMarshal.GetReference(scales);
        ref int zp = ref MemoryMarshal.GetReference(offsets);
        ref float y = ref MemoryMarshal.GetReference(output);
        var xs = Vector256.Create(xScale);
        int r = 0;
        unsafe
        {
            fixed (int* sumsBase = placeSums)
            {
                for (; r + 8 <= rows; r += 8)
                {
                    Vector256<int> s = Avx2.GatherVector256(sumsBase, Vector256.LoadUnsafe(ref place, (nuint)r), 4);
                    if (TStep.AddsZeroPoint)
                    {
                        s -= Vector256.LoadUnsafe(ref zp, (nuint)r);
                    }

                    Vector256<float> b = bias.IsEmpty ? Vector256<float>.Zero : Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)r);
                    ((Vector256.ConvertToSingle(s) * (Vector256.LoadUnsafe(ref ws, (nuint)r) * xs)) + b).StoreUnsafe(ref y, (nuint)r);
                }
            }
        }

        for (; r < rows; r++)
        {
            int s = Unsafe.Add(ref sums, Unsafe.Add(ref place, r));
            if (TStep.AddsZeroPoint)
            {
                s -= Unsafe.Add(ref zp, r);
            }

            Unsafe.Add(ref y, r) = ((float)s * (Unsafe.Add(ref ws, r) * xScale)) + (bias.IsEmpty ? 0f : bias[r]);
        }
    }

    /// <summary>One row's pair of blocks: 32 weight bytes against the two 16-byte activation blocks at <c>c[0]</c> and <c>c[1]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PairStep<TStep>(Vector256<int> acc, ref byte prepared, ref sbyte signed, ref int c, ref sbyte w)
        where TStep : struct, IInt8Step
    {
        nuint c0 = (nuint)c, c1 = (nuint)Unsafe.Add(ref c, 1);
        Vector256<byte> p = Vector256.Create(Vector128.LoadUnsafe(ref prepared, c0), Vector128.LoadUnsafe(ref prepared, c1));
        Vector256<sbyte> s = TStep.UsesSignedActivations
            ? Vector256.Create(Vector128.LoadUnsafe(ref signed, c0), Vector128.LoadUnsafe(ref signed, c1))
            : default;
        return TStep.Step(acc, p, s, Vector256.LoadUnsafe(ref w));
    }

    /// <summary>
    /// Every row against <paramref name="passPairs"/> (1 to 4) frame pairs starting at pair <paramref name="firstPair"/>,
    /// four rows at a time: their per-frame sums are transposed into one four-row vector per frame, so the epilogue and
    /// the stores run on four rows at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Frames<TStep>(
        ref sbyte packed, int[] rowStart, ref ushort cols, ReadOnlySpan<float> scales, ReadOnlySpan<int> offsets,
        ReadOnlySpan<byte> prepared, ReadOnlySpan<sbyte> signed, int pairStride, int firstPair, int passPairs,
        ReadOnlySpan<float> xScales, ReadOnlySpan<float> bias, Span<float> output)
        where TStep : struct, IInt8Step
    {
        int rows = rowStart.Length - 1;
        int t0 = 2 * firstPair;
        int passFrames = Math.Min(2 * passPairs, xScales.Length - t0);
        ref byte p0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(prepared), (nint)firstPair * pairStride);
        ref sbyte s0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(signed), (nint)firstPair * pairStride); // not read when the step has no use for it
        ref int starts = ref MemoryMarshal.GetArrayDataReference(rowStart);
        Span<Vector128<int>> perFrame = stackalloc Vector128<int>[2 * PairsPerPass];
        for (int r = 0; r < rows; r += 4)
        {
            int valid = Math.Min(4, rows - r);
            Vector256<int> y0 = PassSums<TStep>(ref packed, ref cols, ref starts, r, rows, ref p0, ref s0, pairStride, passPairs);
            Vector256<int> y1 = PassSums<TStep>(ref packed, ref cols, ref starts, r + 1, rows, ref p0, ref s0, pairStride, passPairs);
            Vector256<int> y2 = PassSums<TStep>(ref packed, ref cols, ref starts, r + 2, rows, ref p0, ref s0, pairStride, passPairs);
            Vector256<int> y3 = PassSums<TStep>(ref packed, ref cols, ref starts, r + 3, rows, ref p0, ref s0, pairStride, passPairs);

            // y_i lanes are [f0, f2, f4, f6, f1, f3, f5, f7] of row r + i; after two unpack rounds u_j holds frame 2j
            // (rows r .. r+3) in its lower half and frame 2j + 1 in its upper half.
            Vector256<long> t0l = Avx2.UnpackLow(y0, y1).AsInt64(), t1l = Avx2.UnpackHigh(y0, y1).AsInt64();
            Vector256<long> t2l = Avx2.UnpackLow(y2, y3).AsInt64(), t3l = Avx2.UnpackHigh(y2, y3).AsInt64();
            Vector256<int> u0 = Avx2.UnpackLow(t0l, t2l).AsInt32(), u1 = Avx2.UnpackHigh(t0l, t2l).AsInt32();
            Vector256<int> u2 = Avx2.UnpackLow(t1l, t3l).AsInt32(), u3 = Avx2.UnpackHigh(t1l, t3l).AsInt32();
            perFrame[0] = u0.GetLower();
            perFrame[1] = u0.GetUpper();
            perFrame[2] = u1.GetLower();
            perFrame[3] = u1.GetUpper();
            perFrame[4] = u2.GetLower();
            perFrame[5] = u2.GetUpper();
            perFrame[6] = u3.GetLower();
            perFrame[7] = u3.GetUpper();
            Vector128<int> offset = TStep.AddsZeroPoint ? DenseInt8Kernel.Load4(offsets, r, valid) : Vector128<int>.Zero;
            Vector128<float> ws = DenseInt8Kernel.Load4(scales, r, valid);
            Vector128<float> b = bias.IsEmpty ? Vector128<float>.Zero : DenseInt8Kernel.Load4(bias, r, valid);
            for (int j = 0; j < passFrames; j++)
            {
                int t = t0 + j;
                DenseInt8Kernel.Store4(DenseInt8Kernel.Epilogue4(perFrame[j] - offset, ws, xScales[t], b), output, (t * rows) + r, valid);
            }
        }
    }

    /// <summary>Row <paramref name="r"/>'s sums for the pass (zeros past the last row), in the lane order of <see cref="Reduce8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PassSums<TStep>(
        ref sbyte packed, ref ushort cols, ref int starts, int r, int rows, ref byte prepared, ref sbyte signed, int pairStride, int passPairs)
        where TStep : struct, IInt8Step
    {
        if (r >= rows)
        {
            return default;
        }

        int start = Unsafe.Add(ref starts, r), end = Unsafe.Add(ref starts, r + 1);
        return passPairs == PairsPerPass
            ? FourPairs<TStep>(ref packed, ref cols, start, end, ref prepared, ref signed, pairStride)
            : FewPairs<TStep>(ref packed, ref cols, start, end, ref prepared, ref signed, pairStride, passPairs);
    }

    /// <summary>Eight frames; returns the sums in the lane order of <see cref="Reduce8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FourPairs<TStep>(ref sbyte packed, ref ushort cols, int start, int end, ref byte prepared, ref sbyte signed, int pairStride)
        where TStep : struct, IInt8Step
    {
        // Two blocks per iteration into two sets of accumulators: eight independent chains instead of four, so the
        // loop is not bound by the latency of one dot-product step (integer sums: the order does not matter).
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<int> b0 = default, b1 = default, b2 = default, b3 = default;
        int k = start;
        for (; k + 1 < end; k += 2)
        {
            Vector256<sbyte> w = Vector256.Create(Vector128.LoadUnsafe(ref packed, (nuint)k * BlockSize));
            Vector256<sbyte> v = Vector256.Create(Vector128.LoadUnsafe(ref packed, (nuint)(k + 1) * BlockSize));
            nuint c = (nuint)Unsafe.Add(ref cols, k) * (2 * BlockSize);
            nuint d = (nuint)Unsafe.Add(ref cols, k + 1) * (2 * BlockSize);
            a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref prepared, c), Signed<TStep>(ref signed, c), w);
            b0 = TStep.Step(b0, Vector256.LoadUnsafe(ref prepared, d), Signed<TStep>(ref signed, d), v);
            a1 = TStep.Step(a1, Vector256.LoadUnsafe(ref prepared, c + (nuint)pairStride), Signed<TStep>(ref signed, c + (nuint)pairStride), w);
            b1 = TStep.Step(b1, Vector256.LoadUnsafe(ref prepared, d + (nuint)pairStride), Signed<TStep>(ref signed, d + (nuint)pairStride), v);
            a2 = TStep.Step(a2, Vector256.LoadUnsafe(ref prepared, c + (nuint)(2 * pairStride)), Signed<TStep>(ref signed, c + (nuint)(2 * pairStride)), w);
            b2 = TStep.Step(b2, Vector256.LoadUnsafe(ref prepared, d + (nuint)(2 * pairStride)), Signed<TStep>(ref signed, d + (nuint)(2 * pairStride)), v);
            a3 = TStep.Step(a3, Vector256.LoadUnsafe(ref prepared, c + (nuint)(3 * pairStride)), Signed<TStep>(ref signed, c + (nuint)(3 * pairStride)), w);
            b3 = TStep.Step(b3, Vector256.LoadUnsafe(ref prepared, d + (nuint)(3 * pairStride)), Signed<TStep>(ref signed, d + (nuint)(3 * pairStride)), v);
        }

        if (k < end)
        {
            Vector256<sbyte> w = Vector256.Create(Vector128.LoadUnsafe(ref packed, (nuint)k * BlockSize));
            nuint c = (nuint)Unsafe.Add(ref cols, k) * (2 * BlockSize);
            a0 = TStep.Step(a0, Vector256.LoadUnsafe(ref prepared, c), Signed<TStep>(ref signed, c), w);
            a1 = TStep.Step(a1, Vector256.LoadUnsafe(ref prepared, c + (nuint)pairStride), Signed<TStep>(ref signed, c + (nuint)pairStride), w);
            a2 = TStep.Step(a2, Vector256.LoadUnsafe(ref prepared, c + (nuint)(2 * pairStride)), Signed<TStep>(ref signed, c + (nuint)(2 * pairStride)), w);
            a3 = TStep.Step(a3, Vector256.LoadUnsafe(ref prepared, c + (nuint)(3 * pairStride)), Signed<TStep>(ref signed, c + (nuint)(3 * pairStride)), w);
        }

        return Reduce8(a0 + b0, a1 + b1, a2 + b2, a3 + b3);
    }

    /// <summary>One to three pairs (the frames left after whole passes of eight), one pair at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<int> FewPairs<TStep>(
        ref sbyte packed, ref ushort cols, int start, int end, ref byte prepared, ref sbyte signed, int pairStride, int pairs)
        where TStep : struct, IInt8Step
    {
        Span<Vector256<int>> acc = stackalloc Vector256<int>[PairsPerPass];
        acc.Clear();
        for (int p = 0; p < pairs; p++)
        {
            nuint pairOffset = (nuint)(p * pairStride);
            Vector256<int> a = default;
            for (int k = start; k < end; k++)
            {
                Vector256<sbyte> w = Vector256.Create(Vector128.LoadUnsafe(ref packed, (nuint)k * BlockSize));
                nuint c = ((nuint)Unsafe.Add(ref cols, k) * (2 * BlockSize)) + pairOffset;
                a = TStep.Step(a, Vector256.LoadUnsafe(ref prepared, c), Signed<TStep>(ref signed, c), w);
            }

            acc[p] = a;
        }

        return Reduce8(acc[0], acc[1], acc[2], acc[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Signed<TStep>(ref sbyte signed, nuint offset)
        where TStep : struct, IInt8Step =>
        TStep.UsesSignedActivations ? Vector256.LoadUnsafe(ref signed, offset) : default;

    /// <summary>
    /// Four pair accumulators (lanes 0–3 the pair's first frame, 4–7 its second) to per-frame sums:
    /// <c>[f0, f2, f4, f6, f1, f3, f5, f7]</c>, frame 2j+i being pair j's frame i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Reduce8(Vector256<int> a0, Vector256<int> a1, Vector256<int> a2, Vector256<int> a3) =>
        Avx2.HorizontalAdd(Avx2.HorizontalAdd(a0, a1), Avx2.HorizontalAdd(a2, a3));
}
