namespace EdgeVoice.Nn;

/// <summary>
/// A weight matrix <c>W [Rows, Columns]</c> (a PyTorch Linear or LSTM weight) in a compressed storage, applied as
/// <c>y = W x + b</c> to one frame or to several time-major frames. Implemented by <see cref="Int8Matrix"/> and
/// <see cref="BlockSparseInt8Matrix"/>; float32 weights use <see cref="MatrixVector"/> and <see cref="MatrixMultiply"/> directly.
/// </summary>
public interface IWeightMatrix
{
    /// <summary>Output channels.</summary>
    int Rows { get; }

    /// <summary>Input width.</summary>
    int Columns { get; }

    /// <summary>How the weights are stored.</summary>
    TensorStorage Storage { get; }

    /// <summary>Bytes the weights occupy (values, scales and sparsity index).</summary>
    long ByteCount { get; }

    /// <summary><c>y = W x + b</c> for one frame. <paramref name="bias"/> is empty or <see cref="Rows"/> values and may be exactly <paramref name="y"/>.</summary>
    void MultiplyVector(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y);

    /// <summary><c>output[t] = W input[t] + b</c> for time-major frames <c>input [frames, Columns]</c>, <c>output [frames, Rows]</c>.</summary>
    void MultiplyFrames(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output, int frames);

    /// <summary>The weights as float32 (<c>scale[r] · q[r, c]</c>), row-major; a new array.</summary>
    float[] Dequantize();
}
