namespace EdgeVoice.Nn;

/// <summary>
/// A fully connected layer <c>y = W x + b</c> (PyTorch <c>nn.Linear</c>), applied to one frame with the
/// matrix-vector kernel or to several time-major frames at once with the blocked GEMM. The weights are float32 or,
/// from a version-2 model file, int8 or block-sparse int8 (<see cref="IWeightMatrix"/>), run by the int8 kernels.
/// Immutable; one instance can serve any number of streams.
/// </summary>
public sealed class Linear
{
    private readonly ReadOnlyMemory<float> _weight;
    private readonly ReadOnlyMemory<float> _bias;
    private readonly IWeightMatrix? _matrix;
    private readonly Lazy<float[]>? _dequantized;

    /// <summary>Wraps a weight <c>[outFeatures, inFeatures]</c> and an optional bias (empty or <c>outFeatures</c>); not copied.</summary>
    public Linear(ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias, int inFeatures, int outFeatures)
    {
        Guard.Positive(inFeatures, nameof(inFeatures));
        Guard.Positive(outFeatures, nameof(outFeatures));
        Guard.Length(weight.Length, (long)inFeatures * outFeatures, nameof(weight));
        Guard.OptionalBias(bias.Length, outFeatures, nameof(bias));
        _weight = weight;
        _bias = bias;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Wraps compressed weights (<c>[outFeatures, inFeatures]</c> = <c>[Rows, Columns]</c>) and an optional bias; not copied.</summary>
    public Linear(IWeightMatrix weight, ReadOnlyMemory<float> bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Guard.OptionalBias(bias.Length, weight.Rows, nameof(bias));
        _matrix = weight;
        _dequantized = new Lazy<float[]>(weight.Dequantize);
        _bias = bias;
        InFeatures = weight.Columns;
        OutFeatures = weight.Rows;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Row-major <c>[OutFeatures, InFeatures]</c> (dequantized on first use when the weights are int8).</summary>
    public ReadOnlyMemory<float> Weight => _dequantized?.Value ?? _weight;

    /// <summary>How the weights are stored.</summary>
    public TensorStorage Storage => _matrix?.Storage ?? TensorStorage.Float32;

    /// <summary>Empty or <c>OutFeatures</c> values.</summary>
    public ReadOnlyMemory<float> Bias => _bias;

    /// <summary>Builds the layer from <c>{prefix}.weight</c> and <c>{prefix}.bias</c> (if present) of a model file.</summary>
    public static Linear FromModel(ModelFile model, string prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor weight = model.GetTensor(prefix + ".weight");
        ReadOnlyMemory<float> bias = model.TryGetTensor(prefix + ".bias", out ModelTensor? b) ? b.Data : ReadOnlyMemory<float>.Empty;
        return weight.Matrix is { } matrix ? new Linear(matrix, bias) : new Linear(weight.Data, bias, weight.Shape[1], weight.Shape[0]);
    }

    /// <summary>Applies the layer to time-major frames: <c>input [frames, InFeatures] → output [frames, OutFeatures]</c>.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length % InFeatures != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {InFeatures} floats.", nameof(input));
        }

        int frames = input.Length / InFeatures;
        Guard.Length(output.Length, (long)frames * OutFeatures, nameof(output));
        if (_matrix is not null)
        {
            _matrix.MultiplyFrames(input, _bias.Span, output, frames);
        }
        else if (frames == 1)
        {
            MatrixVector.Multiply(_weight.Span, input, _bias.Span, output);
        }
        else
        {
            MatrixMultiply.MultiplyTransposed(input, _weight.Span, _bias.Span, output, frames, OutFeatures, InFeatures);
        }
    }
}
