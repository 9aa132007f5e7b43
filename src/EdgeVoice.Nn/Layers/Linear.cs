namespace EdgeVoice.Nn;

/// <summary>
/// A fully connected layer <c>y = W x + b</c> (PyTorch <c>nn.Linear</c>), applied to one frame with the
/// matrix-vector kernel or to several time-major frames at once with the blocked GEMM. Immutable; one
/// instance can serve any number of streams.
/// </summary>
public sealed class Linear
{
    private readonly ReadOnlyMemory<float> _weight;
    private readonly ReadOnlyMemory<float> _bias;

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

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Row-major <c>[OutFeatures, InFeatures]</c>.</summary>
    public ReadOnlyMemory<float> Weight => _weight;

    /// <summary>Empty or <c>OutFeatures</c> values.</summary>
    public ReadOnlyMemory<float> Bias => _bias;

    /// <summary>Builds the layer from <c>{prefix}.weight</c> and <c>{prefix}.bias</c> (if present) of a model file.</summary>
    public static Linear FromModel(ModelFile model, string prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor weight = model.GetTensor(prefix + ".weight");
        ReadOnlyMemory<float> bias = model.TryGetTensor(prefix + ".bias", out ModelTensor? b) ? b.Data : ReadOnlyMemory<float>.Empty;
        return new Linear(weight.Data, bias, weight.Shape[1], weight.Shape[0]);
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
        if (frames == 1)
        {
            MatrixVector.Multiply(_weight.Span, input, _bias.Span, output);
        }
        else
        {
            MatrixMultiply.MultiplyTransposed(input, _weight.Span, _bias.Span, output, frames, OutFeatures, InFeatures);
        }
    }
}
