namespace EdgeVoice.Nn.Tests;

public sealed class ConvolutionTests
{
    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void Depthwise_matches_oracle_and_the_scalar_tier_exactly(SimdTier tier)
    {
        var random = new Random(21);
        for (int channels = 1; channels <= 70; channels++)
        {
            int kernel = 1 + (channels % 8);
            int frames = channels % 5;
            float[] weight = TestData.Uniform(random, channels * kernel);
            float[]? bias = channels % 2 == 0 ? TestData.Uniform(random, channels) : null;
            float[] history = TestData.Uniform(random, (kernel - 1) * channels, 2f);
            float[] input = TestData.Uniform(random, frames * channels, 2f);
            var tapMajor = new float[weight.Length];
            DepthwiseConv1d.TransposeFromPyTorch(weight, channels, tapMajor);

            var y = new float[input.Length];
            DepthwiseConv1d.Forward(tier, history, input, tapMajor, bias, y, channels);
            var scalar = new float[input.Length];
            DepthwiseConv1d.Forward(SimdTier.Scalar, history, input, tapMajor, bias, scalar, channels);
            Assert.Equal(scalar, y);

            double[] expected = Oracle.DepthwiseConv(history, input, weight, bias, channels);
            double[] scale = Oracle.DepthwiseConv(Abs(history), Abs(input), Abs(weight), bias is null ? null : Abs(bias), channels);
            TestData.AssertSumClose(expected, scale, y, kernel, $"{tier} channels {channels} kernel {kernel}");
        }
    }

    [Fact]
    public void Causal_depthwise_layer_gives_the_same_output_for_any_chunking()
    {
        var random = new Random(22);
        const int channels = 19, kernel = 8, frames = 23;
        float[] weight = TestData.Uniform(random, channels * kernel);
        float[] bias = TestData.Uniform(random, channels);
        float[] input = TestData.Uniform(random, frames * channels);
        var layer = new CausalDepthwiseConv1d(weight, bias, channels);

        var whole = new float[input.Length];
        layer.Forward(input, new float[layer.HistoryLength], whole);
        double[] expected = Oracle.DepthwiseConv(new float[layer.HistoryLength], input, weight, bias, channels);
        TestData.AssertClose(expected, whole, 1e-5, 1, "whole");

        foreach (int chunk in new[] { 1, 2, 3, 7, 8 })
        {
            var history = new float[layer.HistoryLength];
            var chunked = new float[input.Length];
            for (int t = 0; t < frames; t += chunk)
            {
                int n = Math.Min(chunk, frames - t);
                layer.Forward(input.AsSpan(t * channels, n * channels), history, chunked.AsSpan(t * channels, n * channels));
            }

            Assert.Equal(whole, chunked);
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void Conv2d_matches_oracle(SimdTier tier)
    {
        var random = new Random(31);
        for (int bins = 3; bins <= 14; bins++)
        {
            foreach ((int cin, int cout) in new[] { (1, 3), (2, 5), (3, 1), (4, 8), (1, 32), (2, 32), (4, 64), (3, 96) })
            {
                int frames = (bins + cin) % 7;
                float[] w = TestData.Uniform(random, cout * cin * 9);
                float[]? bias = bins % 2 == 0 ? TestData.Uniform(random, cout) : null;
                float[] history = TestData.Uniform(random, 2 * cin * bins);
                float[] input = TestData.Uniform(random, frames * cin * bins);
                var y = new float[Conv2dStride2.OutputFrames(frames) * cout * Conv2dStride2.OutputBins(bins)];
                var scratch = new float[Conv2dStride2.ScratchLength(cin, bins)];
                Conv2dStride2.Forward(tier, history, input, w, bias, y, cin, bins, scratch, Conv2dStride2.TransposeWeights(w, cin));
                double[] expected = Oracle.Conv2d(history, input, w, bias, cin, cout, bins);
                double[] scale = Oracle.Conv2d(Abs(history), Abs(input), Abs(w), bias is null ? null : Abs(bias), cin, cout, bins);
                TestData.AssertSumClose(expected, scale, y, (cin * 9) + 1, $"{tier} bins {bins} cin {cin} cout {cout} frames {frames}");
            }
        }
    }

    [Fact]
    public void Causal_conv2d_layer_gives_the_same_output_for_even_chunks()
    {
        var random = new Random(32);
        const int cin = 3, cout = 4, bins = 17, frames = 24;
        float[] w = TestData.Uniform(random, cout * cin * 9);
        float[] bias = TestData.Uniform(random, cout);
        float[] input = TestData.Uniform(random, frames * cin * bins);
        var layer = new CausalConv2d(w, bias, cin, cout, bins);
        var arena = new FloatArena(16);

        var whole = new float[layer.OutputFrames(frames) * layer.OutFrameSize];
        layer.Forward(input, new float[layer.HistoryLength], whole, arena);
        foreach (int chunk in new[] { 2, 4, 8 })
        {
            var history = new float[layer.HistoryLength];
            var chunked = new float[whole.Length];
            for (int t = 0; t < frames; t += chunk)
            {
                arena.Reset();
                layer.Forward(
                    input.AsSpan(t * layer.InFrameSize, chunk * layer.InFrameSize),
                    history,
                    chunked.AsSpan(t / 2 * layer.OutFrameSize, chunk / 2 * layer.OutFrameSize),
                    arena);
            }

            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void Frame_history_keeps_the_last_frames()
    {
        var history = new float[] { 1, 2, 3, 4, 5, 6 };
        FrameHistory.Append(history, new float[] { 7, 8 }, 2);
        Assert.Equal(new float[] { 3, 4, 5, 6, 7, 8 }, history);
        FrameHistory.Append(history, new float[] { 9, 10, 11, 12, 13, 14, 15, 16 }, 2);
        Assert.Equal(new float[] { 11, 12, 13, 14, 15, 16 }, history);
        FrameHistory.Append(history, ReadOnlySpan<float>.Empty, 2);
        Assert.Equal(new float[] { 11, 12, 13, 14, 15, 16 }, history);
    }

    private static float[] Abs(float[] values) => values.Select(MathF.Abs).ToArray();
}
