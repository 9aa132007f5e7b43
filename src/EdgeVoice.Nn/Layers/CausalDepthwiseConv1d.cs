namespace EdgeVoice.Nn;

/// <summary>
/// PyTorch <c>nn.Conv1d(dim, dim, kernel, groups=dim)</c> made causal: each output frame sees itself and the
/// <c>kernel − 1</c> frames before it, which the caller keeps per stream in a history of
/// <see cref="HistoryLength"/> floats (zeros at the start). Immutable; the weights are re-laid tap-major once.
/// </summary>
public sealed class CausalDepthwiseConv1d
{
    private readonly float[] _tapMajor;
    private readonly ReadOnlyMemory<float> _bias;

    /// <summary>Builds the layer from PyTorch's weight <c>[channels, 1, kernel]</c> and an optional bias (empty or <c>channels</c>).</summary>
    public CausalDepthwiseConv1d(ReadOnlySpan<float> pytorchWeight, ReadOnlyMemory<float> bias, int channels)
    {
        Guard.Positive(channels, nameof(channels));
        if (pytorchWeight.Length == 0 || pytorchWeight.Length % channels != 0)
        {
            throw new ArgumentException($"Expected {channels} × kernel weights, got {pytorchWeight.Length}.", nameof(pytorchWeight));
        }

        Guard.OptionalBias(bias.Length, channels, nameof(bias));
        Channels = channels;
        Kernel = pytorchWeight.Length / channels;
        _tapMajor = new float[pytorchWeight.Length];
        DepthwiseConv1d.TransposeFromPyTorch(pytorchWeight, channels, _tapMajor);
        _bias = bias;
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>Taps of the kernel.</summary>
    public int Kernel { get; }

    /// <summary>Floats of per-stream history: <c>(Kernel − 1) · Channels</c>.</summary>
    public int HistoryLength => (Kernel - 1) * Channels;

    /// <summary>Builds the layer from <c>{prefix}.weight</c> and <c>{prefix}.bias</c> (if present) of a model file.</summary>
    public static CausalDepthwiseConv1d FromModel(ModelFile model, string prefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor weight = model.GetTensor(prefix + ".weight");
        ReadOnlyMemory<float> bias = model.TryGetTensor(prefix + ".bias", out ModelTensor? b) ? b.Data : ReadOnlyMemory<float>.Empty;
        return new CausalDepthwiseConv1d(weight.Data.Span, bias, weight.Shape[0]);
    }

    /// <summary>Convolves time-major frames <c>[frames, Channels]</c> and appends them to the history.</summary>
    /// <param name="input">New frames; must not overlap the output or the history.</param>
    /// <param name="history">Per-stream state of <see cref="HistoryLength"/> floats; updated.</param>
    /// <param name="output">Same shape as the input.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> history, Span<float> output)
    {
        DepthwiseConv1d.Forward(history, input, _tapMajor, _bias.Span, output, Channels);
        FrameHistory.Append(history, input, Channels);
    }
}
