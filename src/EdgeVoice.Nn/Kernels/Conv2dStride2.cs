using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>Patches shorter than this take <see cref="ForwardSmallPatch"/>.</summary>
    private const int SmallPatch = 16;

    /// <summary>Frequency bins of the output for <paramref name="inBins"/> input bins.</summary>
    public static int OutputBins(int inBins) => inBins < 3 ? 0 : ((inBins - 3) / 2) + 1;

    /// <summary>Output frames for a chunk of <paramref name="inFrames"/> frames (after the 2 history frames).</summary>
    /// <remarks>Chunks with an even number of frames keep the stride aligned across chunks; an odd chunk should be the last.</remarks>
    public static int OutputFrames(int inFrames) => inFrames <= 0 ? 0 : ((inFrames - 1) / 2) + 1;

    /// <summary>Floats of scratch <see cref="Forward"/> needs (the patches of one output frame, and room for its products).</summary>
    public static int ScratchLength(int inChannels, int inBins) =>
        Math.Max(
            inChannels * 9 * (inChannels * 9 < SmallPatch ? PaddedBins(OutputBins(inBins)) : OutputBins(inBins)),
            BinBlocks(OutputBins(inBins)) * MaxChannelsForProducts(inChannels));

    /// <summary>
    /// The weights <c>[outChannels, patch]</c> transposed to <c>[patch, outChannels]</c>, the layout of the 512-bit
    /// kernel (<see cref="CausalConv2d"/> keeps a copy).
    /// </summary>
    public static float[] TransposeWeights(ReadOnlySpan<float> weights, int inChannels)
    {
        int patch = inChannels * 9;
        int outChannels = weights.Length / patch;
        var t = new float[weights.Length];
        for (int oc = 0; oc < outChannels; oc++)
        {
            for (int i = 0; i < patch; i++)
            {
                t[(i * outChannels) + oc] = weights[(oc * patch) + i];
            }
        }

        return t;
    }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward(
        SimdTier tier, ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int inChannels, int inBins, Span<float> scratch, ReadOnlySpan<float> transposedWeights = default)
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
        Guard.AtLeast(scratch.Length, ScratchLength(inChannels, inBins), nameof(scratch));
        Guard.Tier(tier, nameof(tier));

        // The 512-bit kernel needs the transposed weights that CausalConv2d keeps; callers without them take the
        // GEMM rather than transposing on every call.
        if (!transposedWeights.IsEmpty && tier == SimdTier.Vector512 && Vector512.IsHardwareAccelerated
            && outChannels % (2 * ChannelsPerVector) == 0 && outChannels <= MaxChannelsForProducts(inChannels))
        {
            Forward512(history, input, transposedWeights, bias, output, inChannels, inBins, outChannels, scratch);
            return;
        }

        if (patch < SmallPatch)
        {
            ForwardSmallPatch(history, input, weights, bias, output, inChannels, inBins, scratch);
            return;
        }

        Span<float> patches = scratch[..(outBins * patch)];
        ref float patchesRef = ref MemoryMarshal.GetReference(patches);
        for (int t = 0; t < outFrames; t++)
        {
            for (int kt = 0; kt < 3; kt++)
            {
                int row = (2 * t) + kt;
                ReadOnlySpan<float> frame = InputRow(history, input, row, frameSize);
                Gather(ref MemoryMarshal.GetReference(frame), ref Unsafe.Add(ref patchesRef, kt * 3), inChannels, inBins, outBins, patch);
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

    /// <summary>Output channels per 512-bit vector.</summary>
    private const int ChannelsPerVector = 16;

    /// <summary>Output bins computed together by <see cref="Forward512"/>: with two channel vectors, eight independent accumulator chains.</summary>
    private const int BinsPerBlock = 4;

    /// <summary>The most output channels the 512-bit kernel's product scratch is sized for (others take the GEMM).</summary>
    private static int MaxChannelsForProducts(int inChannels) => Math.Max(64, inChannels * 2);

    /// <summary>Output bins rounded up to whole blocks of <see cref="BinsPerBlock"/>.</summary>
    private static int BinBlocks(int outBins) => (outBins + BinsPerBlock - 1) / BinsPerBlock * BinsPerBlock;

    /// <summary>
    /// The 512-bit kernel for a multiple of 32 output channels (any patch size), without im2col: for each
    /// block of four output bins and pair of 16-channel vectors, <c>acc[f, oc..] = fma(Wᵀ[i, oc..], x_i(f), acc)</c> runs over
    /// the patch index i = (channel, time tap, frequency tap) in order, starting from the bias, reading x_i(f) straight
    /// from the three input rows of the output frame: eight independent chains, no horizontal sums. A last block with
    /// fewer than four bins repeats the last bin and keeps only the valid ones. The products <c>[bins, outChannels]</c>
    /// are then transposed into the channel-major output frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward512(
        ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> transposed, ReadOnlySpan<float> bias,
        Span<float> output, int inChannels, int inBins, int outChannels, Span<float> scratch)
    {
        int frameSize = inChannels * inBins;
        int patch = inChannels * 9;
        int outBins = OutputBins(inBins);
        int bins = BinBlocks(outBins);
        int outFrames = OutputFrames(input.Length / frameSize);
        int outFrameSize = outChannels * outBins;
        Guard.Length(transposed.Length, (long)patch * outChannels, nameof(transposed));
        Span<float> products = scratch[..(bins * outChannels)];
        ref float w = ref MemoryMarshal.GetReference(transposed);
        ref float prod = ref MemoryMarshal.GetReference(products);
        for (int t = 0; t < outFrames; t++)
        {
            ref float row0 = ref MemoryMarshal.GetReference(InputRow(history, input, 2 * t, frameSize));
            ref float row1 = ref MemoryMarshal.GetReference(InputRow(history, input, (2 * t) + 1, frameSize));
            ref float row2 = ref MemoryMarshal.GetReference(InputRow(history, input, (2 * t) + 2, frameSize));
            for (int oc = 0; oc < outChannels; oc += 2 * ChannelsPerVector)
            {
                var acc = new Accumulators();
                if (!bias.IsEmpty)
                {
                    acc.B0 = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)oc);
                    acc.B1 = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(bias), (nuint)(oc + ChannelsPerVector));
                }

                for (int f = 0; f < outBins; f += BinsPerBlock)
                {
                    int o1 = 2 * Math.Min(f + 1, outBins - 1), o2 = 2 * Math.Min(f + 2, outBins - 1), o3 = 2 * Math.Min(f + 3, outBins - 1);
                    acc.Reset();
                    ref float wc = ref Unsafe.Add(ref w, oc);
                    for (int c = 0; c < inChannels; c++)
                    {
                        int at = (c * inBins) + (2 * f);
                        int d1 = o1 - (2 * f), d2 = o2 - (2 * f), d3 = o3 - (2 * f);
                        acc.Taps(ref wc, outChannels, ref Unsafe.Add(ref row0, at), d1, d2, d3);
                        acc.Taps(ref Unsafe.Add(ref wc, 3 * outChannels), outChannels, ref Unsafe.Add(ref row1, at), d1, d2, d3);
                        acc.Taps(ref Unsafe.Add(ref wc, 6 * outChannels), outChannels, ref Unsafe.Add(ref row2, at), d1, d2, d3);
                        wc = ref Unsafe.Add(ref wc, 9 * outChannels);
                    }

                    acc.Store(ref Unsafe.Add(ref prod, (f * outChannels) + oc), outChannels);
                }
            }

            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), t * outFrameSize);
            for (int f = 0; f < outBins; f++)
            {
                for (int oc = 0; oc < outChannels; oc++)
                {
                    Unsafe.Add(ref y, (oc * outBins) + f) = Unsafe.Add(ref prod, (f * outChannels) + oc);
                }
            }
        }
    }

    /// <summary>Four bins × two 16-channel vectors of <see cref="Forward512"/>, in registers.</summary>
    private struct Accumulators
    {
        public Vector512<float> B0, B1;
        private Vector512<float> _a00, _a01, _a10, _a11, _a20, _a21, _a30, _a31;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Reset()
        {
            _a00 = _a10 = _a20 = _a30 = B0;
            _a01 = _a11 = _a21 = _a31 = B1;
        }

        /// <summary>The three frequency taps of one channel and time tap: weights rows w, w + stride, w + 2·stride; inputs at x + d_j + kf.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Taps(ref float w, int stride, ref float x, int d1, int d2, int d3)
        {
            for (int kf = 0; kf < 3; kf++)
            {
                ref float wi = ref Unsafe.Add(ref w, kf * stride);
                Vector512<float> w0 = Vector512.LoadUnsafe(ref wi);
                Vector512<float> w1 = Vector512.LoadUnsafe(ref wi, ChannelsPerVector);
                Vector512<float> x0 = Vector512.Create(Unsafe.Add(ref x, kf));
                Vector512<float> x1 = Vector512.Create(Unsafe.Add(ref x, d1 + kf));
                Vector512<float> x2 = Vector512.Create(Unsafe.Add(ref x, d2 + kf));
                Vector512<float> x3 = Vector512.Create(Unsafe.Add(ref x, d3 + kf));
                _a00 = Vector512.FusedMultiplyAdd(w0, x0, _a00);
                _a01 = Vector512.FusedMultiplyAdd(w1, x0, _a01);
                _a10 = Vector512.FusedMultiplyAdd(w0, x1, _a10);
                _a11 = Vector512.FusedMultiplyAdd(w1, x1, _a11);
                _a20 = Vector512.FusedMultiplyAdd(w0, x2, _a20);
                _a21 = Vector512.FusedMultiplyAdd(w1, x2, _a21);
                _a30 = Vector512.FusedMultiplyAdd(w0, x3, _a30);
                _a31 = Vector512.FusedMultiplyAdd(w1, x3, _a31);
            }
        }

        /// <summary>Rows r, r + stride, r + 2·stride, r + 3·stride of the products (the caller's buffer has room for whole blocks).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(ref float r, int stride)
        {
            _a00.StoreUnsafe(ref r);
            _a01.StoreUnsafe(ref r, ChannelsPerVector);
            _a10.StoreUnsafe(ref r, (nuint)stride);
            _a11.StoreUnsafe(ref r, (nuint)(stride + ChannelsPerVector));
            _a20.StoreUnsafe(ref r, (nuint)(2 * stride));
            _a21.StoreUnsafe(ref r, (nuint)((2 * stride) + ChannelsPerVector));
            _a30.StoreUnsafe(ref r, (nuint)(3 * stride));
            _a31.StoreUnsafe(ref r, (nuint)((3 * stride) + ChannelsPerVector));
        }
    }

    /// <summary>
    /// A patch this short (one input channel: 9 values) gives the GEMM no vector work: on the 512-bit tier it sums each
    /// output as a scalar chain of fused multiply-adds in patch order. This computes exactly that chain, but for eight
    /// output bins at once: the patches are gathered transposed, <c>[patch, outBins]</c> with rows padded with zeros to
    /// whole vectors (the padded lanes are computed and dropped), and every output channel
    /// runs <c>acc = fma(w[i], P[i, f..f+7], acc)</c> for i in patch order, then adds the bias (the same operations in
    /// the same order per output, so the 512-bit tier's results are unchanged bit for bit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSmallPatch(
        ReadOnlySpan<float> history, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, int inChannels, int inBins, Span<float> scratch)
    {
        int frameSize = inChannels * inBins;
        int patch = inChannels * 9;
        int outChannels = weights.Length / patch;
        int outBins = OutputBins(inBins);
        int outFrames = OutputFrames(input.Length / frameSize);
        int outFrameSize = outChannels * outBins;
        int stride = PaddedBins(outBins);
        Span<float> transposed = scratch[..(patch * stride)];
        transposed.Clear(); // the padding past outBins in each row stays zero
        const int width = 8;
        Span<float> last = stackalloc float[width];
        for (int t = 0; t < outFrames; t++)
        {
            for (int kt = 0; kt < 3; kt++)
            {
                int row = (2 * t) + kt;
                ReadOnlySpan<float> frame = InputRow(history, input, row, frameSize);
                for (int c = 0; c < inChannels; c++)
                {
                    for (int kf = 0; kf < 3; kf++)
                    {
                        Span<float> target = transposed.Slice(((c * 9) + (kt * 3) + kf) * stride, outBins);
                        ReadOnlySpan<float> source = frame.Slice((c * inBins) + kf);
                        for (int f = 0; f < outBins; f++)
                        {
                            target[f] = source[2 * f];
                        }
                    }
                }
            }

            Span<float> y = output.Slice(t * outFrameSize, outFrameSize);
            ref float p = ref MemoryMarshal.GetReference(transposed);
            for (int oc = 0; oc < outChannels; oc++)
            {
                ReadOnlySpan<float> w = weights.Slice(oc * patch, patch);
                Vector256<float> b = Vector256.Create(bias.IsEmpty ? 0f : bias[oc]);
                Span<float> yRow = y.Slice(oc * outBins, outBins);
                for (int f = 0; f < outBins; f += width)
                {
                    Vector256<float> acc = Vector256<float>.Zero;
                    for (int i = 0; i < patch; i++)
                    {
                        acc = Vector256.FusedMultiplyAdd(Vector256.Create(w[i]), Vector256.LoadUnsafe(ref p, (nuint)((i * stride) + f)), acc);
                    }

                    if (!bias.IsEmpty)
                    {
                        acc += b;
                    }

                    if (f + width <= outBins)
                    {
                        acc.StoreUnsafe(ref MemoryMarshal.GetReference(yRow), (nuint)f);
                    }
                    else
                    {
                        acc.CopyTo(last);
                        last[..(outBins - f)].CopyTo(yRow[f..]);
                    }
                }
            }
        }
    }

    /// <summary>Output bins rounded up to whole 8-float vectors (the transposed patch rows of <see cref="ForwardSmallPatch"/>).</summary>
    private static int PaddedBins(int outBins) => (outBins + 7) & ~7;

    /// <summary>
    /// One time tap of every patch: for each channel c and output bin f, the three values at bins 2f .. 2f+2 of
    /// channel c of <paramref name="frame"/> go to <c>patches[f, c·9 + 3·kt .. +2]</c> (<paramref name="destination"/>
    /// already points at the tap's offset 3·kt). The callers' length checks keep every index inside the spans.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(ref float frame, ref float destination, int inChannels, int inBins, int outBins, int patch)
    {
        for (int c = 0; c < inChannels; c++)
        {
            ref float source = ref Unsafe.Add(ref frame, c * inBins);
            ref float target = ref Unsafe.Add(ref destination, c * 9);
            for (int f = 0; f < outBins; f++)
            {
                ref float s = ref Unsafe.Add(ref source, 2 * f);
                ref float d = ref Unsafe.Add(ref target, f * patch);
                d = s;
                Unsafe.Add(ref d, 1) = Unsafe.Add(ref s, 1);
                Unsafe.Add(ref d, 2) = Unsafe.Add(ref s, 2);
            }
        }
    }

    /// <summary>Input row <paramref name="row"/> of the padded sequence: the kept history frames first, then the chunk's frames.</summary>
    private static ReadOnlySpan<float> InputRow(ReadOnlySpan<float> history, ReadOnlySpan<float> input, int row, int frameSize) =>
        row < HistoryFrames
            ? history.Slice(row * frameSize, frameSize)
            : input.Slice((row - HistoryFrames) * frameSize, frameSize);
}
