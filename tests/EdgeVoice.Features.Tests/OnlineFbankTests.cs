namespace EdgeVoice.Features.Tests;

public sealed class OnlineFbankTests
{
    public static TheoryData<string> OptionSets() => new() { "default", "no-snip", "energy-dither", "8k", "htk-magnitude" };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void AnyChunkingGivesBitIdenticalFrames(string optionSet)
    {
        var options = Options(optionSet);
        int rate = (int)options.SampleFrequency;
        var signal = TestData.SweepWithSilence((int)(1.37 * rate), rate, 11);

        var whole = RunWhole(signal, options);
        var tenMs = RunChunked(signal, options, _ => rate / 100);
        var single = RunChunked(signal, options, _ => 1);
        var random = new Random(5);
        var randomSized = RunChunked(signal, options, _ => random.Next(0, 2000));

        Assert.True(whole.Length > 100 * options.FeatureDimension);
        AssertBitIdentical(whole, tenMs, "10 ms chunks");
        AssertBitIdentical(whole, single, "1-sample chunks");
        AssertBitIdentical(whole, randomSized, "random chunks");
        AssertBitIdentical(whole, Fbank.Compute(signal, options).Data, "Fbank.Compute");
    }

    [Fact]
    public void FrameIsReadyExactlyWhenItsWindowHasArrived()
    {
        var fbank = new OnlineFbank(FbankOptions.Default);
        var signal = TestData.RandomSignal(1000, 3);
        fbank.AcceptWaveform(signal.AsSpan(0, 399));
        Assert.Equal(0, fbank.NumFramesReady);
        fbank.AcceptWaveform(signal.AsSpan(399, 1));
        Assert.Equal(1, fbank.NumFramesReady);
        fbank.AcceptWaveform(signal.AsSpan(400, 159));
        Assert.Equal(1, fbank.NumFramesReady);
        fbank.AcceptWaveform(signal.AsSpan(559, 1));
        Assert.Equal(2, fbank.NumFramesReady);
        fbank.AcceptWaveform(signal.AsSpan(560));
        fbank.InputFinished();
        Assert.Equal(1 + ((1000 - 400) / 160), fbank.NumFramesReady);
        Assert.Equal(1000, fbank.NumSamplesAccepted);
        Assert.True(fbank.IsInputFinished);
    }

    [Theory]
    [InlineData(true, 16000, 98)]
    [InlineData(false, 16000, 100)]
    [InlineData(true, 399, 0)]
    [InlineData(false, 399, 2)]
    [InlineData(false, 79, 0)]
    [InlineData(false, 80, 1)]
    public void FrameCountsFollowKaldi(bool snipEdges, int samples, int expectedFrames)
    {
        var features = Fbank.Compute(TestData.RandomSignal(samples, 1), new FbankOptions { SnipEdges = snipEdges });
        Assert.Equal(expectedFrames, features.NumFrames);
        Assert.Equal(80, features.Dimension);
    }

    [Fact]
    public void MatchesNaiveOracleWithinTolerance()
    {
        foreach (var options in new[]
        {
            FbankOptions.Default,
            new FbankOptions { WindowType = FeatureWindowType.Hanning, NumMelBins = 23, HighFreq = 0, PreemphasisCoefficient = 0.0 },
            new FbankOptions { SampleFrequency = 8000, WindowType = FeatureWindowType.Rectangular, RemoveDcOffset = false },
        })
        {
            int rate = (int)options.SampleFrequency;
            var signal = TestData.SweepWithSilence(rate / 2, rate, 21);
            for (int i = 0; i < signal.Length; i++)
            {
                signal[i] += 1e-3f * MathF.Sin(i * 0.37f);
            }

            var fast = Fbank.Compute(signal, options);
            var naive = NaiveOracle.Fbank(signal, options);
            Assert.Equal(naive.GetLength(0), fast.NumFrames);
            double max = 0;
            for (int t = 0; t < fast.NumFrames; t++)
            {
                for (int b = 0; b < fast.Dimension; b++)
                {
                    max = Math.Max(max, Math.Abs(fast[t, b] - naive[t, b]));
                }
            }

            // Both work in double with the same float32 mel weights; only the FFT's double rounding differs.
            Assert.True(max < 1e-6, $"max |fast - naive| = {max} for {options}");
        }
    }

    [Fact]
    public void ReadFramesDrainsOldestFirst()
    {
        var options = FbankOptions.Default;
        var signal = TestData.RandomSignal(4000, 9);
        var expected = Fbank.Compute(signal, options);
        var fbank = new OnlineFbank(options);
        fbank.AcceptWaveform(signal);
        Assert.Equal(23, fbank.NumFramesReady);

        var buffer = new float[(10 * 80) + 5];
        Assert.Equal(10, fbank.ReadFrames(buffer));
        Assert.Equal(expected.Data.AsSpan(0, 800).ToArray(), buffer.AsSpan(0, 800).ToArray());
        Assert.Equal(10, fbank.FirstStoredFrame);
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.GetFrame(9, new float[80]));

        var frame = new float[80];
        fbank.GetFrame(22, frame);
        Assert.Equal(expected.Row(22).ToArray(), frame);
        Assert.Equal(10, fbank.ReadFrames(buffer));
        Assert.Equal(3, fbank.ReadFrames(buffer));
        Assert.Equal(0, fbank.ReadFrames(buffer));
        Assert.Equal(23, fbank.NumFramesReady);
    }

    [Fact]
    public void MisuseFailsClearly()
    {
        var fbank = new OnlineFbank(FbankOptions.Default);
        fbank.AcceptWaveform(new float[500]);
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.GetFrame(1, new float[80]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.GetFrame(-1, new float[80]));
        Assert.Throws<ArgumentException>(() => fbank.GetFrame(0, new float[79]));
        fbank.InputFinished();
        fbank.InputFinished();
        var e = Assert.Throws<InvalidOperationException>(() => fbank.AcceptWaveform(new float[10]));
        Assert.Contains("InputFinished", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SilenceGivesTheEpsilonFloor()
    {
        var features = Fbank.Compute(new float[1600]);
        Assert.All(features.Data, v => Assert.Equal(MathF.Log(1.1920929e-07f), v, 1e-5f));
    }

    [Fact]
    public void SteadyStateStreamingDoesNotAllocate()
    {
        var fbank = new OnlineFbank(FbankOptions.Default);
        var signal = TestData.SweepWithSilence(16000 * 3, 16000, 4);
        var drain = new float[80 * 8];
        for (int i = 0; i < 100; i++)
        {
            fbank.AcceptWaveform(signal.AsSpan(i * 160, 160));
            fbank.ReadFrames(drain);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < 290; i++)
        {
            fbank.AcceptWaveform(signal.AsSpan(i * 160, 160));
            fbank.ReadFrames(drain);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static FbankOptions Options(string name) => name switch
    {
        "default" => FbankOptions.Default,
        "no-snip" => new FbankOptions { SnipEdges = false },
        "energy-dither" => new FbankOptions { UseEnergy = true, Dither = 1e-4, DitherSeed = 7, EnergyFloor = 1e-6 },
        "8k" => new FbankOptions { SampleFrequency = 8000 },
        "htk-magnitude" => new FbankOptions { UseEnergy = true, HtkCompat = true, UsePower = false, RawEnergy = false, WindowType = FeatureWindowType.Blackman },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static float[] RunWhole(float[] signal, FbankOptions options)
    {
        var fbank = new OnlineFbank(options);
        fbank.AcceptWaveform(signal);
        fbank.InputFinished();
        var result = new float[fbank.NumFramesReady * fbank.Dimension];
        for (int t = 0; t < fbank.NumFramesReady; t++)
        {
            fbank.GetFrame(t, result.AsSpan(t * fbank.Dimension, fbank.Dimension));
        }

        return result;
    }

    private static float[] RunChunked(float[] signal, FbankOptions options, Func<int, int> chunkSize)
    {
        var fbank = new OnlineFbank(options);
        var collected = new List<float>();
        var buffer = new float[fbank.Dimension * 3];
        void Drain()
        {
            int n;
            while ((n = fbank.ReadFrames(buffer)) > 0)
            {
                collected.AddRange(buffer.AsSpan(0, n * fbank.Dimension).ToArray());
            }
        }

        int position = 0;
        for (int call = 0; position < signal.Length; call++)
        {
            int size = Math.Min(chunkSize(call), signal.Length - position);
            fbank.AcceptWaveform(signal.AsSpan(position, size));
            position += size;
            Drain();
        }

        fbank.InputFinished();
        Drain();
        return collected.ToArray();
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values instead of {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: value {i} differs: {actual[i]:R} instead of {expected[i]:R}");
            }
        }
    }
}
