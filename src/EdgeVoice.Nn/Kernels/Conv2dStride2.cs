using System.Numerics.Tensors;
using EdgeVoice.Nn.Simd;

namespace EdgeVoice.Nn;

/// <summary>
/// 2-D convolution with a 3×3 kernel and stride 2 in time and frequency, causal in time: the input is
/// preceded by a history of 2 frames (zeros at the start of a stream), and frequency is not padded.
/// Frames are time-major <c>[frames, channels, bins]</c>, which is PyTorch's <c>(C, T, F)</c> with time moved
/// first, so streaming appends whole frames and the subsampling's channel-major flattening is free.
/// </summary>
/// <remarks>
/// Implemented as im2col + GEMM one output frame at a time: the patches of one frame
/// (<c>[outBins, inChannels·9]</c>, ordered channel, time tap, frequency tap like PyTorch's weight) are
/// gathered into the scratch, then <c>[outChannels, outBins] = W · patchesᵀ</c> goes straight into the output
/// frame. Output frame t sees input rows 2t, 2t+1, 2t+2 of (history ++ input).
/// </remarks>
public static class Conv2dStride2
{
    /// <summary>Time frames of history the convolution needs (the causal left padding).</summary>
    public const int HistoryFrames = 2;

    /// <summary>Frequency bins of the output for <paramref name="inBins"/> input bins.</summary>
    public static int OutputBins(int inBins) => inBins < 3 ? 0 : ((inBins - 3) / 2) + 1;

    /// <summary>Output frames for a chunk of <paramref name="inFrames"/> frames (after the 2 history frames).</summary>
    /// <remarks>Chunks with an even number of frames keep the stride aligned across chunks; an odd chunk should be the last.</remarks>
    public static int OutputFrames(int inFrames) => inFrames <= 0 ? 0 : ((inFrames - 1) / 2) + 1;

    /// <summary>Floats of scratch <see cref="Forward"/> needs.</summary>
    public static int ScratchLength(int inChannels, int inBins) => OutputBins(inBins) * inChannels * 9;

    /// <summary>Computes the output frames of one chunk; the history is read, not updated (see <see cref="FrameHistory.Append"/>).</summary>
    /// <param name="history">Time-major <c>[2, inChannels, inBins]</c>.</param>
    /// <param name="input">Time-major <c>[frames, inChannels, inBins]</c>.</param>
    /// <param name="weights">PyTorch layout <c>[outChannels, inChannels, 3, 3]</c>.</param>
    /// <param name="bias">Empty or <c>outChannels</c> values.</param>
    /// <param name="output">Time-major <c>[OutputFrames(frames), outChannels, OutputBins(inBins)]</c>.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="inBins">Input frequency bins (at least 3).</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats; must not overlap anything else.</param>
    public static void Forward(
        ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int inChannels, int inBins, Span<float> scratch) =>
        Forward(SimdTiers.Best, history, input, weights, bias, output, inChannels, inBins, scratch);

    /// <summary>Same as the public overload, on a chosen tier (tests call every tier).</summary>
    internal static void Forward(
        SimdTier tier, ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int inChannels, int inBins, Span<float> scratch)
    {
        Guard.Positive(inChannels, nameof(inChannels));
        if (inBins < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(inBins), inBins, "A 3×3 convolution needs at least 3 frequency bins.");
        }

        int frameSize = inChannels * inBins;
        int patch = inChannels * 9;
        if (weights.Length == 0 || weights.Length % patch != 0)
        {
            throw new ArgumentException($"Expected outChannels × {inChannels} × 3 × 3 weights, got {weights.Length}.", nameof(weights));
        }

        int outChannels = weights.Length / patch;
        int outBins = OutputBins(inBins);
        Guard.Length(history.Length, (long)HistoryFrames * frameSize, nameof(history));
        if (input.Length % frameSize != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {inChannels} × {inBins} floats.", nameof(input));
        }

        int frames = input.Length / frameSize;
        int outFrames = OutputFrames(frames);
        int outFrameSize = outChannels * outBins;
        Guard.Length(output.Length, (long)outFrames * outFrameSize, nameof(output));
        Guard.OptionalBias(bias.Length, outChannels, nameof(bias));
        Guard.AtLeast(scratch.Length, (long)outBins * patch, nameof(scratch));
        Guard.Tier(tier, nameof(tier));

        Span<float> patches = scratch[..(outBins * patch)];
        for (int t = 0; t < outFrames; t++)
        {
            for (int f = 0; f < outBins; f++)
            {
                Span<float> p = patches.Slice(f * patch, patch);
                for (int c = 0; c < inChannels; c++)
                {
                    for (int kt = 0; kt < 3; kt++)
                    {
                        int row = (2 * t) + kt;
                        ReadOnlySpan<float> frame = row < HistoryFrames
                            ? history.Slice(row * frameSize, frameSize)
                            : input.Slice((row - HistoryFrames) * frameSize, frameSize);
                        frame.Slice((c * inBins) + (2 * f), 3).CopyTo(p.Slice((c * 9) + (kt * 3), 3));
                    }
                }
            }

            Span<float> y = output.Slice(t * outFrameSize, outFrameSize);
            MatrixMultiply.MultiplyTransposed(tier, weights, patches, ReadOnlySpan<float>.Empty, y, outChannels, outBins, patch);
            if (!bias.IsEmpty)
            {
                for (int c = 0; c < outChannels; c++)
                {
                    Span<float> row = y.Slice(c * outBins, outBins);
                    TensorPrimitives.Add(row, bias[c], row);
                }
            }
        }
    }
}
