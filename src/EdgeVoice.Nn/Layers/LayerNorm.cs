namespace EdgeVoice.Nn;

/// <summary>PyTorch <c>nn.LayerNorm</c> over the last dimension of time-major frames. Immutable.</summary>
public sealed class LayerNorm
{
    private readonly ReadOnlyMemory<float> _gamma;
    private readonly ReadOnlyMemory<float> _beta;

    /// <summary>Wraps γ and β (<c>dim</c> values each; not copied).</summary>
    public LayerNorm(ReadOnlyMemory<float> gamma, ReadOnlyMemory<float> beta, float epsilon = LayerNormalization.DefaultEpsilon)
    {
        Guard.Positive(gamma.Length, nameof(gamma));
        Guard.Length(beta.Length, gamma.Length, nameof(beta));
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon, nameof(epsilon));
        _gamma = gamma;
        _beta = beta;
        Epsilon = epsilon;
    }

    /// <summary>Width of a frame.</summary>
    public int Dim => _gamma.Length;

    /// <summary>Added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>Builds the layer from <c>{prefix}.weight</c> (γ) and <c>{prefix}.bias</c> (β) of a model file.</summary>
    public static LayerNorm FromModel(ModelFile model, string prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new LayerNorm(model.GetTensor(prefix + ".weight").Data, model.GetTensor(prefix + ".bias").Data);
    }

    /// <summary>Normalises every frame; <paramref name="output"/> may be the same span as <paramref name="input"/>.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output) =>
        LayerNormalization.Normalize(input, _gamma.Span, _beta.Span, Epsilon, output);
}
