namespace EdgeVoice.Audio.Tests;

public sealed class ResamplerTests
{
    public static TheoryData<int, int> RatePairs() => new()
    {
        { 8000, 16000 },
        { 11025, 16000 },
        { 22050, 16000 },
        { 44100, 16000 },
        { 48000, 16000 },
        { 44099, 16000 },
        { 16000, 44100 },
        { 16000, 8000 },
    };

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Chunks_of_any_size_give_bit_identical_output(int inputRate, int outputRate)
    {
        var random = new Random(inputRate ^ outputRate);
        var input = Enumerable.Range(0, 9000).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var oneCall = Resampler.Resample(input, inputRate, outputRate);

        var resampler = new Resampler(inputRate, outputRate);
        var chunked = new List<float>();
        for (int offset = 0; offset < input.Length;)
        {
            int size = Math.Min(input.Length - offset, random.Next(0, 3) == 0 ? random.Next(0, 3) : random.Next(0, 5000));
            resampler.Process(input.AsSpan(offset, size), chunked);
            offset += size;
        }

        resampler.Flush(chunked);

        StreamingDecoderTests.AssertBitIdentical(oneCall, chunked.ToArray());
        Assert.Equal(resampler.OutputLength(input.Length), oneCall.Length);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(441, 160)]
    [InlineData(442, 161)]
    [InlineData(44100, 16000)]
    public void Output_length_is_the_ceiling_of_the_exact_ratio(int inputLength, int expected)
    {
        var output = Resampler.Resample(new float[inputLength], 44100, 16000);

        Assert.Equal(expected, output.Length);
    }

    [Fact]
    public void Equal_rates_pass_samples_through_unchanged()
    {
        float[] input = [0.1f, -0.7f, 1f, 0f];
        var resampler = new Resampler(16000, 16000);

        Assert.Equal(0, resampler.TapsPerOutput);
        Assert.Equal(input, Resampler.Resample(input, 16000, 16000));
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void A_constant_keeps_its_value_away_from_the_ends(int inputRate, int outputRate)
    {
        var input = Enumerable.Repeat(0.5f, inputRate / 10).ToArray();

        var output = Resampler.Resample(input, inputRate, outputRate);

        foreach (float sample in output.AsSpan(200, output.Length - 400))
        {
            Assert.InRange(sample, 0.5f - 1e-6f, 0.5f + 1e-6f);
        }
    }

    [Fact]
    public void The_output_is_aligned_with_the_input_in_time()
    {
        // An impulse at input time t must peak at the output sample nearest t: the filter adds no delay.
        var input = new float[4410];
        input[2205] = 1f;

        var output = Resampler.Resample(input, 44100, 16000);

        int peak = Array.IndexOf(output, output.Max());
        Assert.Equal(800, peak);
    }

    [Fact]
    public void Reset_allows_a_new_stream_with_the_same_result()
    {
        var input = ToneFit.Tone(1000, 22050, 3000, 0.5);
        var resampler = new Resampler(22050, 16000);
        var first = new List<float>();
        resampler.Process(input, first);
        resampler.Flush(first);

        Assert.Throws<InvalidOperationException>(() => resampler.Process(input, []));
        resampler.Reset();
        var second = new List<float>();
        resampler.Process(input, second);
        resampler.Flush(second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Options_report_every_problem_at_once()
    {
        var options = new ResamplerOptions { PassbandEdge = 0.2, StopbandAttenuationDb = 500 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("PassbandEdge", error.Message, StringComparison.Ordinal);
        Assert.Contains("StopbandAttenuationDb", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Resampler(8000, 16000, options));
    }

    [Fact]
    public void A_gentler_design_uses_fewer_taps()
    {
        var cheap = new Resampler(48000, 16000, new ResamplerOptions { PassbandEdge = 0.6, StopbandAttenuationDb = 70 });
        var standard = new Resampler(48000, 16000);

        Assert.True(cheap.TapsPerOutput < standard.TapsPerOutput / 2, $"{cheap.TapsPerOutput} vs {standard.TapsPerOutput}");
    }
}
