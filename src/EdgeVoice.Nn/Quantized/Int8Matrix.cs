using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Nn;

/// <summary>
/// A dense int8 weight matrix with one float32 scale per output row (symmetric, per-channel: <c>W[r, c] ≈
/// scale[r] · q[r, c]</c>, q in [-127, 127]). Each call quantizes its activations per frame
/// (<see cref="ActivationQuantizer"/>), sums int8 products exactly in int32 on the best <see cref="Int8Path"/>,
/// and writes <c>y = sum · (scale[r] · s_x) + b[r]</c>. Immutable.
/// </summary>
public sealed class Int8Matrix : IWeightMatrix
{
    private readonly ReadOnlyMemory<sbyte> _values;
    private readonly ReadOnlyMemory<float> _scales;
    private readonly int[] _zeroPointOffsets;

    /// <summary>Wraps row-major values <c>[rows, columns]</c> and <c>rows</c> scales (not copied).</summary>
    public Int8Matrix(ReadOnlyMemory<sbyte> values, ReadOnlyMemory<float> scales, int rows, int columns)
    {
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, Int8Dot.MaxColumns, nameof(columns));
        Guard.Length(values.Length, (long)rows * columns, nameof(values));
        Guard.Length(scales.Length, rows, nameof(scales));
        _values = values;
        _scales = scales;
        _zeroPointOffsets = DenseInt8Kernel.ZeroPointOffsets(values.Span, rows, columns);
        Rows = rows;
        Columns = columns;
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public TensorStorage Storage => TensorStorage.Int8;

    /// <inheritdoc/>
    public long ByteCount => (long)Rows * Columns + (4L * Rows);

    /// <summary>Row-major int8 values.</summary>
    public ReadOnlyMemory<sbyte> Values => _values;

    /// <summary>One scale per row.</summary>
    public ReadOnlyMemory<float> Scales => _scales;

    /// <summary>Post-training quantization of float weights <c>[rows, columns]</c>, per row and symmetric.</summary>
    public static Int8Matrix Quantize(ReadOnlySpan<float> weights, int rows, int columns)
    {
        var values = new sbyte[(long)rows * columns];
        var scales = new float[rows];
        ActivationQuantizer.QuantizeRows(weights, rows, columns, values, scales);
        return new Int8Matrix(values, scales, rows, columns);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Dequantize()
    {
        var result = new float[(long)Rows * Columns];
        ReadOnlySpan<sbyte> q = _values.Span;
        ReadOnlySpan<float> s = _scales.Span;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = s[i / Columns] * q[i];
        }

        return result;
    }

    /// <inheritdoc/>
    public void MultiplyVector(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y) =>
        MultiplyFrames(Int8Paths.Best, x, bias, y, 1);

    /// <inheritdoc/>
    public void MultiplyFrames(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output, int frames) =>
        MultiplyFrames(Int8Paths.Best, input, bias, output, frames);

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

        int cols = Columns;
        using var q = new QuantizedActivations(
            input, frames, cols, cols, stackalloc sbyte[QuantizedActivations.StackBytes], stackalloc float[QuantizedActivations.StackScales]);
        MultiplyQuantized(path, q.Values, q.Scales, bias, output);
    }

    /// <summary>The int8 part and the float epilogue, from already quantized activations <c>[frames, Columns]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void MultiplyQuantized(Int8Path path, ReadOnlySpan<sbyte> x, ReadOnlySpan<float> xScales, ReadOnlySpan<float> bias, Span<float> output)
    {
        int rows = Rows;
        int cols = Columns;
        int frames = xScales.Length;
        bool hasBias = !bias.IsEmpty;
        ReadOnlySpan<float> scales = _scales.Span;
        ref sbyte w = ref MemoryMarshal.GetReference(_values.Span);
        if (path == Int8Path.AvxVnni)
        {
            DenseInt8Kernel.Multiply<VnniStep>(ref w, rows, cols, scales, _zeroPointOffsets, x, cols, xScales, bias, output);
            return;
        }

        if (path == Int8Path.Avx2)
        {
            DenseInt8Kernel.Multiply<Avx2Step>(ref w, rows, cols, scales, _zeroPointOffsets, x, cols, xScales, bias, output);
            return;
        }

        ref sbyte xr = ref MemoryMarshal.GetReference(x);
        Span<int> sums = stackalloc int[4];
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref w, (nint)r * cols);
            float ws = scales[r];
            float b = hasBias ? bias[r] : 0f;
            int t = 0;
            for (; t + 4 <= frames; t += 4)
            {
                Int8Dot.Dense1x4(path, ref row, ref Unsafe.Add(ref xr, (nint)t * cols), cols, cols, sums);
                for (int j = 0; j < 4; j++)
                {
                    output[((t + j) * rows) + r] = Epilogue(sums[j], ws, xScales[t + j], b);
                }
            }

            for (; t < frames; t++)
            {
                output[(t * rows) + r] = Epilogue(Int8Dot.Dense(path, ref row, ref Unsafe.Add(ref xr, (nint)t * cols), cols), ws, xScales[t], b);
            }
        }
    }

    /// <summary>The float part shared by every int8 kernel (and their oracles): <c>sum · (wScale · xScale) + bias</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Epilogue(int sum, float wScale, float xScale, float bias) => (sum * (wScale * xScale)) + bias;
}
