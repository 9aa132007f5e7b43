using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Data layout and checks of the int8 tensors of format version 2 (docs/model-format.md). A tensor of shape
/// <c>[d0, d1, …]</c> is a matrix of <c>rows = d0</c> output channels by <c>columns = d1 · d2 · …</c>.
/// <list type="bullet">
/// <item>dtype 1: <c>scales f32[rows]</c>, then <c>int8[rows · columns]</c> row-major.</item>
/// <item>dtype 2: <c>scales f32[rows]</c>, then the block bitmap (<c>⌈rows · ⌈columns/16⌉ / 8⌉</c> bytes, bit <c>b % 8</c> of byte
/// <c>b / 8</c> for block <c>b = r · ⌈columns/16⌉ + c</c>), then 16 int8 values per set bit, in block order.</item>
/// </list>
/// Values lie in [-127, 127]; scales are finite and positive; unused bitmap bits and the padding columns of a
/// row's last block are zero.
/// </summary>
internal static class QuantizedTensorLayout
{
    public static (int Rows, int Columns) Matrix(IReadOnlyList<ulong> dims) =>
        ((int)dims[0], (int)dims.Skip(1).Aggregate(1UL, (a, b) => a * b));

    /// <summary>The byte count a dtype-1 tensor of this shape has.</summary>
    public static long DenseBytes(int rows, int columns) => (4L * rows) + ((long)rows * columns);

    /// <summary>The byte count of a dtype-2 tensor without its packed blocks.</summary>
    public static long SparseFixedBytes(int rows, int columns) => (4L * rows) + BlockSparseInt8Matrix.BitmapBytes(rows, columns);

    /// <summary>Checks the byte count against the shape (called only for shapes that fit an int).</summary>
    public static void CheckSize(ModelTensorEntry e, List<string> problems)
    {
        if (e.Dims.Length == 0 || e.Dims.Any(d => d == 0))
        {
            problems.Add($"tensor {e.Name} has shape {ModelTensor.FormatShape(e.Dims)}; an int8 tensor needs at least one dimension and no empty ones");
            return;
        }

        (int rows, int columns) = Matrix(e.Dims);
        if (columns > Int8Dot.MaxColumns)
        {
            problems.Add($"tensor {e.Name} has {columns} columns; int8 tensors may have at most {Int8Dot.MaxColumns}");
            return;
        }

        if (e.Dtype == ModelFileLayout.DtypeInt8PerChannel)
        {
            long expected = DenseBytes(rows, columns);
            if (e.ByteCount != (ulong)expected)
            {
                problems.Add($"tensor {e.Name} has shape {ModelTensor.FormatShape(e.Dims)} ({expected} bytes of scales and int8) but {e.ByteCount} bytes");
            }

            return;
        }

        long fixedBytes = SparseFixedBytes(rows, columns);
        long maxBytes = fixedBytes + ((long)rows * BlockSparseInt8Matrix.BlocksPerRow(columns) * BlockSparseInt8Matrix.BlockSize);
        if (e.ByteCount < (ulong)fixedBytes || e.ByteCount > (ulong)maxBytes || (e.ByteCount - (ulong)fixedBytes) % BlockSparseInt8Matrix.BlockSize != 0)
        {
            problems.Add($"tensor {e.Name} has shape {ModelTensor.FormatShape(e.Dims)} (block-sparse: {fixedBytes} bytes of scales and bitmap plus 16 per stored block, at most {maxBytes}) but {e.ByteCount} bytes");
        }
    }

    /// <summary>Wraps the tensor's bytes in the file buffer and checks its values; null (with problems added) when they are invalid.</summary>
    public static ModelTensor? Read(ModelTensorEntry e, int[] shape, float[] store, int start, List<string> problems)
    {
        (int rows, int columns) = Matrix(e.Dims);
        int scaleStart = start + (int)(e.Offset / 4);
        var scales = new ReadOnlyMemory<float>(store, scaleStart, rows);
        int problemsBefore = problems.Count;
        CheckScales(e.Name, scales.Span, problems);
        int dataByte = (4 * start) + (int)e.Offset + (4 * rows);
        int valueBytes = (int)e.ByteCount - (4 * rows);
        ReadOnlySpan<byte> raw = MemoryMarshal.AsBytes(store.AsSpan()).Slice(dataByte, valueBytes);
        if (e.Dtype == ModelFileLayout.DtypeInt8PerChannel)
        {
            CheckValues(e.Name, MemoryMarshal.Cast<byte, sbyte>(raw), problems);
            if (problems.Count > problemsBefore)
            {
                return null;
            }

            var values = new PinnedByteSlice(store, dataByte, valueBytes).Memory;
            return new ModelTensor(e.Name, shape, new Int8Matrix(values, scales, rows, columns), (long)e.ByteCount);
        }

        int bitmapBytes = BlockSparseInt8Matrix.BitmapBytes(rows, columns);
        ReadOnlySpan<byte> bitmap = raw[..bitmapBytes];
        ReadOnlySpan<sbyte> packed = MemoryMarshal.Cast<byte, sbyte>(raw[bitmapBytes..]);
        int perRow = BlockSparseInt8Matrix.BlocksPerRow(columns);
        long totalBlocks = (long)rows * perRow;
        int set = BlockSparseInt8Matrix.CountBlocks(bitmap, long.MaxValue);
        int valid = BlockSparseInt8Matrix.CountBlocks(bitmap, totalBlocks);
        if (set != valid)
        {
            problems.Add($"tensor {e.Name} has {set - valid} bits set in its block bitmap past its {totalBlocks} blocks");
        }

        if ((long)valid * BlockSparseInt8Matrix.BlockSize != packed.Length)
        {
            problems.Add($"tensor {e.Name} marks {valid} non-zero blocks in its bitmap but stores {packed.Length / BlockSparseInt8Matrix.BlockSize}");
            return null;
        }

        CheckValues(e.Name, packed, problems);
        CheckPadding(e.Name, bitmap, packed, rows, columns, problems);
        if (problems.Count > problemsBefore)
        {
            return null;
        }

        var packedMemory = new PinnedByteSlice(store, dataByte + bitmapBytes, packed.Length).Memory;
        return new ModelTensor(e.Name, shape, new BlockSparseInt8Matrix(packedMemory, bitmap, scales, rows, columns), (long)e.ByteCount);
    }

    private static void CheckScales(string name, ReadOnlySpan<float> scales, List<string> problems)
    {
        for (int r = 0; r < scales.Length; r++)
        {
            if (!float.IsFinite(scales[r]) || scales[r] <= 0f)
            {
                problems.Add($"tensor {name} has scale {scales[r]} for row {r}; scales must be finite and positive");
                return;
            }
        }
    }

    private static void CheckValues(string name, ReadOnlySpan<sbyte> values, List<string> problems)
    {
        int bad = values.IndexOf(sbyte.MinValue);
        if (bad >= 0)
        {
            problems.Add($"tensor {name} holds -128 at value {bad}; symmetric int8 values lie in [-127, 127]");
        }
    }

    /// <summary>When the width is not a multiple of 16, the columns of a stored last block past the width must be zero.</summary>
    private static void CheckPadding(string name, ReadOnlySpan<byte> bitmap, ReadOnlySpan<sbyte> packed, int rows, int columns, List<string> problems)
    {
        int used = columns % BlockSparseInt8Matrix.BlockSize;
        if (used == 0)
        {
            return;
        }

        int perRow = BlockSparseInt8Matrix.BlocksPerRow(columns);
        int k = 0;
        for (long b = 0; b < (long)rows * perRow; b++)
        {
            if ((bitmap[(int)(b >> 3)] & (1 << (int)(b & 7))) == 0)
            {
                continue;
            }

            if (b % perRow == perRow - 1 && packed.Slice((k * BlockSparseInt8Matrix.BlockSize) + used, BlockSparseInt8Matrix.BlockSize - used).ContainsAnyExcept((sbyte)0))
            {
                problems.Add($"tensor {name} has non-zero values past column {columns} in the last block of row {b / perRow}");
                return;
            }

            k++;
        }
    }
}
