using EdgeVoice.Nn.Simd;

namespace EdgeVoice.Nn;

/// <summary>
/// PyTorch <c>nn.Conv2d(inChannels, outChannels, kernel_size=3, stride=2)</c> over time-major
/// <c>[frames, channels, bins]</c>, causal in time: the two frames before each chunk come from a per-stream
/// history of <see cref="HistoryLength"/> floats (zeros at the start). Immutable.
/// </summary>
public sealed class CausalConv2d
{
    private readonly ReadOnlyMemory<float> _weight;
    private readonly ReadOnlyMemory<float> _bias;
    private readonly float[] _transposed;

    /// <summary>Wraps PyTorch's weight <c>[outChannels, inChannels, 3, 3]</c> and an optional bias (not copied).</summary>
    public CausalConv2d(ReadOnlyMemory<float> weight, ReadOnlyMemory<float> bias, int inChannels, int outChannels, int inBins)
    {
        Guard.Positive(inChannels, nameof(inChannels));
        Guard.Positive(outChannels, nameof(outChannels));
        if (inBins < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(inBins), inBins, "A 3×3 convolution needs at least 3 frequency bins.");
        }

        Guard.Length(weight.Length, 9L * inChannels * outChannels, nameof(weight));
        Guard.OptionalBias(bias.Length, outChannels, nameof(bias));
        _weight = weight;
        _bias = bias;
        _transposed = Conv2dStride2.TransposeWeights(weight.Span, inChannels);
        InChannels = inChannels;
        OutChannels = outChannels;
        InBins = inBins;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Input frequency bins.</summary>
    public int InBins { get; }

    /// <summary>Output frequency bins: <c>(InBins − 3) / 2 + 1</c>.</summary>
    public int OutBins => Conv2dStride2.OutputBins(InBins);

    /// <summary>Floats of one input frame.</summary>
    public int InFrameSize => InChannels * InBins;

    /// <summary>Floats of one output frame (channel-major, then frequency).</summary>
    public int OutFrameSize => OutChannels * OutBins;

    /// <summary>Floats of per-stream history (two input frames).</summary>
    public int HistoryLength => Conv2dStride2.HistoryFrames * InFrameSize;

    /// <summary>Builds the layer from <c>{prefix}.weight</c> and <c>{prefix}.bias</c> of a model file.</summary>
    public static CausalConv2d FromModel(ModelFile model, string prefix, int inBins)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelTensor weight = model.GetTensor(prefix + ".weight");
        ReadOnlyMemory<float> bias = model.TryGetTensor(prefix + ".bias", out ModelTensor? b) ? b.Data : ReadOnlyMemory<float>.Empty;
        return new CausalConv2d(weight.Data, bias, weight.Shape[1], weight.Shape[0], inBins);
    }

    /// <summary>Output frames for a chunk of <paramref name="inFrames"/> frames; keep chunks even-sized except the last.</summary>
    public int OutputFrames(int inFrames) => Conv2dStride2.OutputFrames(inFrames);

    /// <summary>Convolves a chunk and appends it to the history.</summary>
    /// <param name="input">Time-major <c>[frames, InChannels, InBins]</c>.</param>
    /// <param name="history">Per-stream state of <see cref="HistoryLength"/> floats; updated.</param>
    /// <param name="output">Time-major <c>[OutputFrames(frames), OutChannels, OutBins]</c>.</param>
    /// <param name="arena">Scratch for the im2col patches.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> history, Span<float> output, FloatArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        Span<float> scratch = arena.Rent(Conv2dStride2.ScratchLength(InChannels, InBins));
        Conv2dStride2.Forward(SimdTiers.Best, history, input, _weight.Span, _bias.Span, output, InChannels, InBins, scratch, _transposed);
        FrameHistory.Append(history, input, InFrameSize);
    }
}
