using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeVoice.Nn.Simd;

namespace EdgeVoice.Nn;

/// <summary>
/// Causal depthwise 1-D convolution over time-major frames: for every channel d and output frame t,
/// <c>y[t, d] = bias[d] + Σ_j w[j, d] · x̃[t + j, d]</c>, where x̃ is the history (kernel − 1 frames) followed
/// by the input. Vectorised over channels; every tier performs the same fused multiply-adds in the same
/// order, so all tiers give bit-identical results.
/// </summary>
public static class DepthwiseConv1d
{
    /// <summary>Computes one chunk of output frames; the history is read, not updated (see <see cref="FrameHistory.Append"/>).</summary>
    /// <param name="history">Time-major <c>[kernel − 1, channels]</c>: the frames before the input.</param>
    /// <param name="input">Time-major <c>[frames, channels]</c>.</param>
    /// <param name="weights">Tap-major <c>[kernel, channels]</c> (the transpose of PyTorch's <c>[channels, 1, kernel]</c>; see <see cref="TransposeFromPyTorch"/>).</param>
    /// <param name="bias">Empty or <c>channels</c> values.</param>
    /// <param name="output">Time-major <c>[frames, channels]</c>; must not overlap the inputs.</param>
    /// <param name="channels">Number of channels.</param>
    public static void Forward(
        ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int channels) =>
        Forward(SimdTiers.Best, history, input, weights, bias, output, channels);

    /// <summary>Converts PyTorch's <c>[channels, 1, kernel]</c> weight to the tap-major layout the kernel reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposeFromPyTorch(ReadOnlySpan<float> pytorchWeights, int channels, Span<float> tapMajor)
    {
        Guard.Positive(channels, nameof(channels));
        if (pytorchWeights.Length % channels != 0)
        {
            throw new ArgumentException($"Expected a multiple of {channels} weights.", nameof(pytorchWeights));
        }

        Guard.Length(tapMajor.Length, pytorchWeights.Length, nameof(tapMajor));
        int kernel = pytorchWeights.Length / channels;
        for (int d = 0; d < channels; d++)
        {
            for (int j = 0; j < kernel; j++)
            {
                tapMajor[(j * channels) + d] = pytorchWeights[(d * kernel) + j];
            }
        }
    }

    /// <summary>Same as the public overload, on a chosen tier (tests call every tier).</summary>
    internal static void Forward(
        SimdTier tier, ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int channels)
    {
        Guard.Positive(channels, nameof(channels));
        if (weights.Length == 0 || weights.Length % channels != 0)
        {
            throw new ArgumentException($"Expected kernel × {channels} weights, got {weights.Length}.", nameof(weights));
        }

        int kernel = weights.Length / channels;
        Guard.Length(history.Length, (long)(kernel - 1) * channels, nameof(history));
        if (input.Length % channels != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {channels} floats.", nameof(input));
        }

        Guard.Length(output.Length, input.Length, nameof(output));
        Guard.OptionalBias(bias.Length, channels, nameof(bias));
        Guard.Tier(tier, nameof(tier));
        switch (tier)
        {
            case SimdTier.Vector512:
                Run<Simd512, Vector512<float>>(history, input, weights, bias, output, channels, kernel);
                break;
            case SimdTier.Vector256:
                Run<Simd256, Vector256<float>>(history, input, weights, bias, output, channels, kernel);
                break;
            case SimdTier.Vector128:
                Run<Simd128, Vector128<float>>(history, input, weights, bias, output, channels, kernel);
                break;
            default:
                Run<SimdScalar, float>(history, input, weights, bias, output, channels, kernel);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOps, TVec>(
        ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int channels, int kernel)
        where TOps : ISimdOps<TVec>
        where TVec : struct
    {
        int frames = input.Length / channels;
        int width = TOps.Count;
        int vectorEnd = channels - (channels % width);
        bool hasBias = !bias.IsEmpty;
        ref float hr = ref MemoryMarshal.GetReference(history);
        ref float xr = ref MemoryMarshal.GetReference(input);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        ref float br = ref MemoryMarshal.GetReference(bias);
        ref float yr = ref MemoryMarshal.GetReference(output);
        int past = kernel - 1;
        for (int t = 0; t < frames; t++)
        {
            ref float yRow = ref Unsafe.Add(ref yr, (nint)t * channels);
            for (int d = 0; d < vectorEnd; d += width)
            {
                TVec acc = hasBias ? TOps.Load(in Unsafe.Add(ref br, d)) : TOps.Zero;
                for (int j = 0; j < kernel; j++)
                {
                    int row = t + j;
                    ref float src = ref row < past
                        ? ref Unsafe.Add(ref hr, ((nint)row * channels) + d)
                        : ref Unsafe.Add(ref xr, ((nint)(row - past) * channels) + d);
                    acc = TOps.MultiplyAdd(TOps.Load(in Unsafe.Add(ref wr, ((nint)j * channels) + d)), TOps.Load(in src), acc);
                }

                TOps.Store(acc, ref Unsafe.Add(ref yRow, d));
            }

            for (int d = vectorEnd; d < channels; d++)
            {
                float acc = hasBias ? Unsafe.Add(ref br, d) : 0f;
                for (int j = 0; j < kernel; j++)
                {
                    int row = t + j;
                    float x = row < past
                        ? Unsafe.Add(ref hr, ((nint)row * channels) + d)
                        : Unsafe.Add(ref xr, ((nint)(row - past) * channels) + d);
                    acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref wr, ((nint)j * channels) + d), x, acc);
                }

                Unsafe.Add(ref yRow, d) = acc;
            }
        }
    }
}
