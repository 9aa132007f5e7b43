using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn;

/// <summary>
/// One unidirectional LSTM layer with PyTorch's parameters (<c>weight_ih [4H, in]</c>, <c>weight_hh [4H, H]</c>,
/// <c>bias_ih</c>, <c>bias_hh</c>; gate order i, f, g, o). A chunk of T frames costs one GEMM for the input
/// part of all four gates over all frames (both biases folded into one), then per frame one matrix-vector
/// product for the recurrent part and the element-wise <see cref="LstmCell"/>. Either weight may be int8 or
/// block-sparse int8 (<see cref="IWeightMatrix"/>, from a version-2 model file). Immutable.
/// </summary>
public sealed class LstmLayer
{
    private readonly ReadOnlyMemory<float> _weightIh;
    private readonly ReadOnlyMemory<float> _weightHh;
    private readonly float[] _bias;
    private readonly IWeightMatrix? _matrixIh;
    private readonly IWeightMatrix? _matrixHh;

    /// <summary>Wraps the weights (not copied) and sums the two biases.</summary>
    public LstmLayer(
        ReadOnlyMemory<float> weightIh, ReadOnlyMemory<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, int inputSize, int hiddenSize)
        : this(null, weightIh, null, weightHh, biasIh, biasHh, inputSize, hiddenSize)
    {
    }

    /// <summary>Wraps weights of any storage: each of the two weights is either compressed (<paramref name="matrixIh"/>,
    /// <paramref name="matrixHh"/>) or, when that is null, float32 (<paramref name="weightIh"/>, <paramref name="weightHh"/>).</summary>
    internal LstmLayer(
        IWeightMatrix? matrixIh, ReadOnlyMemory<float> weightIh, IWeightMatrix? matrixHh, ReadOnlyMemory<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, int inputSize, int hiddenSize)
    {
        Guard.Positive(inputSize, nameof(inputSize));
        Guard.Positive(hiddenSize, nameof(hiddenSize));
        if (matrixIh is null)
        {
            Guard.Length(weightIh.Length, 4L * hiddenSize * inputSize, nameof(weightIh));
        }
        else
        {
            Guard.Length(matrixIh.Rows, 4L * hiddenSize, nameof(matrixIh));
            Guard.Length(matrixIh.Columns, inputSize, nameof(matrixIh));
        }

        if (matrixHh is null)
        {
            Guard.Length(weightHh.Length, 4L * hiddenSize * hiddenSize, nameof(weightHh));
        }
        else
        {
            Guard.Length(matrixHh.Rows, 4L * hiddenSize, nameof(matrixHh));
            Guard.Length(matrixHh.Columns, hiddenSize, nameof(matrixHh));
        }

        Guard.Length(biasIh.Length, 4L * hiddenSize, nameof(biasIh));
        Guard.Length(biasHh.Length, 4L * hiddenSize, nameof(biasHh));
        _matrixIh = matrixIh;
        _matrixHh = matrixHh;
        _weightIh = matrixIh is null ? weightIh : ReadOnlyMemory<float>.Empty;
        _weightHh = matrixHh is null ? weightHh : ReadOnlyMemory<float>.Empty;
        _bias = new float[4 * hiddenSize];
        TensorPrimitives.Add(biasIh, biasHh, _bias);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
    }

    /// <summary>Width of an input frame.</summary>
    public int InputSize { get; }

    /// <summary>Width of the hidden and cell state and of an output frame.</summary>
    public int HiddenSize { get; }

    /// <summary>Builds layer <paramref name="layer"/> of the PyTorch <c>nn.LSTM</c> stored under <paramref name="prefix"/>.</summary>
    public static LstmLayer FromModel(ModelFile model, string prefix, int layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor ih = model.GetTensor($"{prefix}.weight_ih_l{layer}");
        ModelTensor hh = model.GetTensor($"{prefix}.weight_hh_l{layer}");
        return new LstmLayer(
            ih.Matrix, ih.Matrix is null ? ih.Data : default, hh.Matrix, hh.Matrix is null ? hh.Data : default,
            model.GetTensor($"{prefix}.bias_ih_l{layer}").Data.Span,
            model.GetTensor($"{prefix}.bias_hh_l{layer}").Data.Span,
            ih.Shape[1], hh.Shape[1]);
    }

    /// <summary>Runs time-major frames <c>[frames, InputSize]</c> through the layer.</summary>
    /// <param name="input">Input frames; must not overlap the output.</param>
    /// <param name="hidden">Per-stream hidden state, <see cref="HiddenSize"/> values; updated.</param>
    /// <param name="cell">Per-stream cell state, <see cref="HiddenSize"/> values; updated.</param>
    /// <param name="output">Time-major <c>[frames, HiddenSize]</c>: the hidden state after each frame.</param>
    /// <param name="arena">Scratch for the gates of the chunk.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> input, Span<float> hidden, Span<float> cell, Span<float> output, FloatArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        if (input.Length % InputSize != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {InputSize} floats.", nameof(input));
        }

        int frames = input.Length / InputSize;
        int h = HiddenSize;
        Guard.Length(hidden.Length, h, nameof(hidden));
        Guard.Length(cell.Length, h, nameof(cell));
        Guard.Length(output.Length, (long)frames * h, nameof(output));

        Span<float> gates = arena.Rent(frames * 4 * h);
        if (_matrixIh is not null)
        {
            _matrixIh.MultiplyFrames(input, _bias, gates, frames);
        }
        else
        {
            MatrixMultiply.MultiplyTransposed(input, _weightIh.Span, _bias, gates, frames, 4 * h, InputSize);
        }

        ReadOnlySpan<float> weightHh = _weightHh.Span;
        for (int t = 0; t < frames; t++)
        {
            Span<float> g = gates.Slice(t * 4 * h, 4 * h);
            if (_matrixHh is not null)
            {
                _matrixHh.MultiplyVector(hidden, g, g);
            }
            else
            {
                MatrixVector.Multiply(weightHh, hidden, g, g);
            }

            LstmCell.Update(g, cell, hidden);
            hidden.CopyTo(output.Slice(t * h, h));
        }
    }
}
