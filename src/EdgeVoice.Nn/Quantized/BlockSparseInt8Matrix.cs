using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// A block-sparse int8 weight matrix: rows are cut into 1×16 blocks (the last block of a row zero-padded when the
/// width is not a multiple of 16); only non-zero blocks are stored, packed row by row in column order, with a
/// bitmap marking which blocks are present (bit <c>b % 8</c> of byte <c>b / 8</c> for block <c>b = r · blocksPerRow + c</c>)
/// and one float32 scale per row. The kernels walk each row's block list and never touch a pruned block.
/// Immutable; the file format is dtype 2 of docs/model-format.md.
/// </summary>
public sealed class BlockSparseInt8Matrix : IWeightMatrix
{
    /// <summary>Columns per block.</summary>
    public const int BlockSize = Int8Dot.BlockSize;

    private readonly ReadOnlyMemory<sbyte> _packed;
    private readonly ReadOnlyMemory<float> _scales;
    private readonly byte[] _bitmap;
    private readonly int[] _rowStart;
    private readonly ushort[] _blockColumns;
    private readonly int[] _zeroPointOffsets;
    private readonly Lazy<SparseRowGroups> _rowGroups;
    private readonly Lazy<Int8Matrix> _dense;

    /// <summary>Wraps packed block values and scales (not copied) and indexes the bitmap.</summary>
    /// <exception cref="ArgumentException">The bitmap's length or population does not match the packed values.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BlockSparseInt8Matrix(ReadOnlyMemory<sbyte> packed, ReadOnlySpan<byte> bitmap, ReadOnlyMemory<float> scales, int rows, int columns)
    {
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, Int8Dot.MaxColumns, nameof(columns));
        Guard.Length(scales.Length, rows, nameof(scales));
        int perRow = BlocksPerRow(columns);
        long totalBlocks = (long)rows * perRow;
        Guard.Length(bitmap.Length, BitmapBytes(rows, columns), nameof(bitmap));
        int present = CountBlocks(bitmap, totalBlocks);
        Guard.Length(packed.Length, (long)present * BlockSize, nameof(packed));
        _packed = packed;
        _scales = scales;
        _bitmap = bitmap.ToArray();
        _rowStart = new int[rows + 1];
        _blockColumns = new ushort[present];
        int k = 0;
        for (int r = 0; r < rows; r++)
        {
            _rowStart[r] = k;
            for (int c = 0; c < perRow; c++)
            {
                long b = ((long)r * perRow) + c;
                if ((bitmap[(int)(b >> 3)] & (1 << (int)(b & 7))) != 0)
                {
                    _blockColumns[k++] = (ushort)c;
                }
            }
        }

        _rowStart[rows] = k;
        _zeroPointOffsets = SparseInt8Kernel.ZeroPointOffsets(packed.Span, _rowStart);
        _dense = new Lazy<Int8Matrix>(Expand);
        _rowGroups = new Lazy<SparseRowGroups>(() => SparseRowGroups.Build(_packed.Span, _rowStart, _blockColumns, BlocksPerRow(columns)));
        Rows = rows;
        Columns = columns;
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public TensorStorage Storage => TensorStorage.BlockSparseInt8;

    /// <inheritdoc/>
    public long ByteCount => _packed.Length + _bitmap.Length + (4L * Rows);

    /// <summary>Blocks a full row would have.</summary>
    public int TotalBlocks => Rows * BlocksPerRow(Columns);

    /// <summary>Blocks stored.</summary>
    public int StoredBlocks => _blockColumns.Length;

    /// <summary>Share of blocks pruned away.</summary>
    public double BlockSparsity => 1.0 - ((double)StoredBlocks / TotalBlocks);

    /// <summary>The packed values of the stored blocks, 16 per block.</summary>
    public ReadOnlyMemory<sbyte> PackedValues => _packed;

    /// <summary>The block bitmap as stored in the file.</summary>
    public ReadOnlySpan<byte> Bitmap => _bitmap;

    /// <summary>One scale per row.</summary>
    public ReadOnlyMemory<float> Scales => _scales;

    /// <summary>Blocks per row: ⌈columns / 16⌉.</summary>
    public static int BlocksPerRow(int columns) => (columns + BlockSize - 1) / BlockSize;

    /// <summary>Bytes of the bitmap: ⌈rows · blocksPerRow / 8⌉.</summary>
    public static int BitmapBytes(int rows, int columns) => (int)((((long)rows * BlocksPerRow(columns)) + 7) / 8);

    /// <summary>Set bits among the first <paramref name="blocks"/> bits of a bitmap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CountBlocks(ReadOnlySpan<byte> bitmap, long blocks)
    {
        int count = 0;
        for (int i = 0; i < bitmap.Length; i++)
        {
            int bits = bitmap[i];
            long valid = blocks - (8L * i);
            if (valid < 8)
            {
                bits &= valid <= 0 ? 0 : (1 << (int)valid) - 1;
            }

            count += BitOperations.PopCount((uint)bits);
        }

        return count;
    }

    /// <summary>
    /// Magnitude block pruning and post-training quantization of float weights <c>[rows, columns]</c>: the
    /// <paramref name="sparsity"/> share of 1×16 blocks with the smallest L2 norm are removed (ties broken by index),
    /// then each row is quantized symmetrically with the scale of its kept weights. Blocks that quantize to all
    /// zeros are dropped as well.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BlockSparseInt8Matrix Prune(ReadOnlySpan<float> weights, int rows, int columns, double sparsity)
    {
        Guard.Length(weights.Length, (long)rows * columns, nameof(weights));
        if (!(sparsity is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "The sparsity must be in [0, 1).");
        }

        int perRow = BlocksPerRow(columns);
        int total = rows * perRow;
        var norms = new double[total];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < perRow; c++)
            {
                double sum = 0;
                for (int i = c * BlockSize; i < Math.Min(columns, (c + 1) * BlockSize); i++)
                {
                    double v = weights[(r * columns) + i];
                    sum += v * v;
                }

                norms[(r * perRow) + c] = sum;
            }
        }

        int[] order = Enumerable.Range(0, total).ToArray();
        Array.Sort(norms.ToArray(), order);
        var keep = new bool[total];
        Array.Fill(keep, true);
        int pruned = (int)Math.Round(sparsity * total);
        for (int i = 0; i < pruned; i++)
        {
            keep[order[i]] = false;
        }

        var masked = weights.ToArray();
        for (int b = 0; b < total; b++)
        {
            if (!keep[b])
            {
                int r = b / perRow, c = b % perRow;
                masked.AsSpan((r * columns) + (c * BlockSize), Math.Min(BlockSize, columns - (c * BlockSize))).Clear();
            }
        }

        var q = new sbyte[(long)rows * columns];
        var scales = new float[rows];
        ActivationQuantizer.QuantizeRows(masked, rows, columns, q, scales);
        return FromDense(q, scales, rows, columns);
    }

    /// <summary>Packs dense int8 values <c>[rows, columns]</c>: every block holding a non-zero value is stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BlockSparseInt8Matrix FromDense(ReadOnlySpan<sbyte> values, ReadOnlyMemory<float> scales, int rows, int columns)
    {
        Guard.Length(values.Length, (long)rows * columns, nameof(values));
        int perRow = BlocksPerRow(columns);
        var bitmap = new byte[BitmapBytes(rows, columns)];
        var packed = new List<sbyte>();
        Span<sbyte> block = stackalloc sbyte[BlockSize];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < perRow; c++)
            {
                block.Clear();
                int width = Math.Min(BlockSize, columns - (c * BlockSize));
                values.Slice((r * columns) + (c * BlockSize), width).CopyTo(block);
                if (block.ContainsAnyExcept((sbyte)0))
                {
                    int b = (r * perRow) + c;
                    bitmap[b >> 3] |= (byte)(1 << (b & 7));
                    foreach (sbyte v in block)
                    {
                        packed.Add(v);
                    }
                }
            }
        }

        return new BlockSparseInt8Matrix(packed.ToArray(), bitmap, scales, rows, columns);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Dequantize()
    {
        var result = new float[(long)Rows * Columns];
        ReadOnlySpan<sbyte> packed = _packed.Span;
        ReadOnlySpan<float> scales = _scales.Span;
        for (int r = 0; r < Rows; r++)
        {
            for (int k = _rowStart[r]; k < _rowStart[r + 1]; k++)
            {
                int c0 = _blockColumns[k] * BlockSize;
                for (int i = 0; i < BlockSize && c0 + i < Columns; i++)
                {
                    result[(r * Columns) + c0 + i] = scales[r] * packed[(k * BlockSize) + i];
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public void MultiplyVector(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        if (UsesDenseKernel(1))
        {
            _dense.Value.MultiplyFrames(Int8Paths.Best, x, bias, y, 1);
        }
        else
        {
            MultiplyFrames(Int8Paths.Best, x, bias, y, 1);
        }
    }

    /// <inheritdoc/>
    public void MultiplyFrames(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output, int frames)
    {
        if (UsesDenseKernel(frames))
        {
            _dense.Value.MultiplyFrames(Int8Paths.Best, input, bias, output, frames);
        }
        else
        {
            MultiplyFrames(Int8Paths.Best, input, bias, output, frames);
        }
    }

    /// <summary>
    /// Whether the public products run the dense int8 kernel on this matrix expanded with its zero blocks, because
    /// on this CPU's path that is faster than walking the stored blocks: on the x86 paths when the share of stored
    /// blocks exceeds <see cref="DenseKernelAboveDensity"/> for one frame, or <see cref="DenseKernelAboveDensityFrames"/>
    /// for several. Both kernels give identical results (exact int32 sums, the same epilogue).
    /// </summary>
    public bool UsesDenseKernel(int frames) =>
        Int8Paths.Best is Int8Path.Avx2 or Int8Path.AvxVnni
        && 1.0 - BlockSparsity > (frames == 1 ? DenseKernelAboveDensity : DenseKernelAboveDensityFrames);

    /// <summary>Density above which a one-frame product runs the dense kernel (docs/compression.md, session 6).</summary>
    public static double DenseKernelAboveDensity { get; } = Threshold("EDGEVOICE_DENSE_ABOVE_1", 0.3);

    /// <summary>Density above which a several-frame product runs the dense kernel (docs/compression.md, session 6).</summary>
    public static double DenseKernelAboveDensityFrames { get; } = Threshold("EDGEVOICE_DENSE_ABOVE_N", 0.45);

    private static double Threshold(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : fallback;

    /// <summary>The same weights as a dense int8 matrix (pruned blocks as zeros), built on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Int8Matrix Expand()
    {
        Memory<sbyte> values = AlignedMemory.Allocate<sbyte>(Rows * Columns);
        Span<sbyte> dense = values.Span;
        ReadOnlySpan<sbyte> packed = _packed.Span;
        for (int r = 0; r < Rows; r++)
        {
            for (int k = _rowStart[r]; k < _rowStart[r + 1]; k++)
            {
                int c0 = _blockColumns[k] * BlockSize;
                int width = Math.Min(BlockSize, Columns - c0);
                packed.Slice(k * BlockSize, width).CopyTo(dense.Slice((r * Columns) + c0, width));
            }
        }

        return new Int8Matrix(values, _scales, Rows, Columns);
    }

    /// <summary>Same as the public overload on a chosen path (tests run every path).</summary>
    [SkipLocalsInit]
    internal void MultiplyFrames(Int8Path path, ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output, int frames)
    {
        Int8Paths.Check(path, nameof(path));
        Guard.NotNegative(frames, nameof(frames));
        Guard.Length(input.Length, (long)frames * Columns, nameof(input));
        Guard.Length(output.Length, (long)frames * Rows, nameof(output));
        Guard.OptionalBias(bias.Length, Rows, nameof(bias));
        if (frames == 0)
        {
            return;
        }

        int stride = BlocksPerRow(Columns) * BlockSize;
        using var q = new QuantizedActivations(
            input, frames, Columns, stride, stackalloc sbyte[QuantizedActivations.StackBytes], stackalloc float[QuantizedActivations.StackScales]);
        MultiplyQuantized(path, q.Values, stride, q.Scales, bias, output);
    }

    /// <summary>The int8 part and the float epilogue, from quantized activations <c>[frames, stride]</c> zero-padded to whole blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void MultiplyQuantized(Int8Path path, ReadOnlySpan<sbyte> x, int stride, ReadOnlySpan<float> xScales, ReadOnlySpan<float> bias, Span<float> output)
    {
        int rows = Rows;
        int frames = xScales.Length;
        bool hasBias = !bias.IsEmpty;
        ReadOnlySpan<float> scales = _scales.Span;
        ref sbyte packed = ref MemoryMarshal.GetReference(_packed.Span);
        if (path == Int8Path.AvxVnni)
        {
            SparseInt8Kernel.Multiply<VnniStep>(ref packed, _rowStart, _blockColumns, _rowGroups, scales, _zeroPointOffsets, x, stride, xScales, bias, output);
            return;
        }

        if (path == Int8Path.Avx2)
        {
            SparseInt8Kernel.Multiply<Avx2Step>(ref packed, _rowStart, _blockColumns, _rowGroups, scales, _zeroPointOffsets, x, stride, xScales, bias, output);
            return;
        }

        ref sbyte xr = ref MemoryMarshal.GetReference(x);
        Span<int> sums = stackalloc int[4];
        for (int r = 0; r < rows; r++)
        {
            int start = _rowStart[r];
            ReadOnlySpan<ushort> cols = _blockColumns.AsSpan(start, _rowStart[r + 1] - start);
            ref sbyte row = ref Unsafe.Add(ref packed, (nint)start * BlockSize);
            float ws = scales[r];
            float b = hasBias ? bias[r] : 0f;
            int t = 0;
            for (; t + 4 <= frames; t += 4)
            {
                Int8Dot.Sparse1x4(path, ref row, cols, ref Unsafe.Add(ref xr, (nint)t * stride), stride, sums);
                for (int j = 0; j < 4; j++)
                {
                    output[((t + j) * rows) + r] = Int8Matrix.Epilogue(sums[j], ws, xScales[t + j], b);
                }
            }

            for (; t < frames; t++)
            {
                output[(t * rows) + r] = Int8Matrix.Epilogue(Int8Dot.Sparse(path, ref row, cols, ref Unsafe.Add(ref xr, (nint)t * stride)), ws, xScales[t], b);
            }
        }
    }
}
