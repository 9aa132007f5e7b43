namespace EdgeVoice.Features.Tests;

public sealed class FbankOptionsTests
{
    [Fact]
    public void DefaultsAreTheDocumentedEdgeVoiceChoices()
    {
        var o = new FbankOptions();
        o.Validate();
        Assert.Equal(16000.0, o.SampleFrequency);
        Assert.Equal(25.0, o.FrameLengthMs);
        Assert.Equal(10.0, o.FrameShiftMs);
        Assert.Equal(0.0, o.Dither);
        Assert.Equal(0.97, o.PreemphasisCoefficient);
        Assert.True(o.RemoveDcOffset);
        Assert.Equal(FeatureWindowType.Povey, o.WindowType);
        Assert.True(o.RoundToPowerOfTwo);
        Assert.True(o.SnipEdges);
        Assert.Equal(80, o.NumMelBins);
        Assert.Equal(20.0, o.LowFreq);
        Assert.Equal(-400.0, o.HighFreq);
        Assert.True(o.UsePower);
        Assert.True(o.UseLogFbank);
        Assert.False(o.UseEnergy);
        Assert.Equal(400, o.WindowSize);
        Assert.Equal(160, o.WindowShift);
        Assert.Equal(512, o.PaddedWindowSize);
        Assert.Equal(80, o.FeatureDimension);
        Assert.Equal(7600.0, o.ResolvedHighFreq);
        Assert.Equal(3600.0, new FbankOptions { SampleFrequency = 8000 }.ResolvedHighFreq);
        Assert.Same(FbankOptions.Default, FbankOptions.Default);
    }

    public static TheoryData<string, FbankOptions> BadOptions() => new()
    {
        { nameof(FbankOptions.SampleFrequency), new FbankOptions { SampleFrequency = 0 } },
        { nameof(FbankOptions.SampleFrequency), new FbankOptions { SampleFrequency = double.NaN } },
        { nameof(FbankOptions.FrameLengthMs), new FbankOptions { FrameLengthMs = -1 } },
        { nameof(FbankOptions.FrameLengthMs), new FbankOptions { FrameLengthMs = 0.1 } },
        { nameof(FbankOptions.FrameShiftMs), new FbankOptions { FrameShiftMs = 0 } },
        { nameof(FbankOptions.FrameShiftMs), new FbankOptions { FrameShiftMs = 0.01 } },
        { nameof(FbankOptions.Dither), new FbankOptions { Dither = -0.1 } },
        { nameof(FbankOptions.PreemphasisCoefficient), new FbankOptions { PreemphasisCoefficient = 1.5 } },
        { nameof(FbankOptions.WindowType), new FbankOptions { WindowType = (FeatureWindowType)42 } },
        { nameof(FbankOptions.BlackmanCoeff), new FbankOptions { BlackmanCoeff = double.PositiveInfinity } },
        { nameof(FbankOptions.RoundToPowerOfTwo), new FbankOptions { RoundToPowerOfTwo = false } },
        { nameof(FbankOptions.NumMelBins), new FbankOptions { NumMelBins = 3 } },
        { nameof(FbankOptions.LowFreq), new FbankOptions { LowFreq = -5 } },
        { nameof(FbankOptions.LowFreq), new FbankOptions { LowFreq = 7700 } },
        { nameof(FbankOptions.HighFreq), new FbankOptions { HighFreq = 9000 } },
        { nameof(FbankOptions.HighFreq), new FbankOptions { HighFreq = -8000 } },
        { nameof(FbankOptions.EnergyFloor), new FbankOptions { EnergyFloor = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ValidateNamesTheBadField(string field, FbankOptions options)
    {
        var e = Assert.Throws<FeatureOptionsException>(options.Validate);
        Assert.Single(e.Problems);
        Assert.StartsWith(field, e.Problems[0], StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(FbankOptions), e.OptionsName);
    }

    [Fact]
    public void ValidateReportsEveryProblemAtOnce()
    {
        var options = new FbankOptions { NumMelBins = 0, Dither = -1, PreemphasisCoefficient = 2, EnergyFloor = -3, FrameShiftMs = 0 };
        var e = Assert.Throws<FeatureOptionsException>(options.Validate);
        Assert.Equal(5, e.Problems.Count);
        foreach (string field in new[] { "NumMelBins", "Dither", "PreemphasisCoefficient", "EnergyFloor", "FrameShiftMs" })
        {
            Assert.Contains(e.Problems, p => p.StartsWith(field, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void LowFreqAboveResolvedHighFreqIsReported()
    {
        var e = Assert.Throws<FeatureOptionsException>(new FbankOptions { LowFreq = 5000, HighFreq = 4000 }.Validate);
        Assert.StartsWith("LowFreq", Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void NonPowerOfTwoIsFineWhenWindowIsAPowerOfTwo()
    {
        new FbankOptions { RoundToPowerOfTwo = false, FrameLengthMs = 32 }.Validate();
    }

    [Fact]
    public void OnlineFbankValidatesItsOptions()
    {
        Assert.Throws<FeatureOptionsException>(() => new OnlineFbank(new FbankOptions { NumMelBins = 2 }));
    }

    [Fact]
    public void ToStringListsEveryOption()
    {
        string text = new FbankOptions { NumMelBins = 40, SampleFrequency = 8000 }.ToString();
        foreach (var property in typeof(FbankOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Contains(property.Name + " = ", text, StringComparison.Ordinal);
        }

        Assert.Contains("NumMelBins = 40", text, StringComparison.Ordinal);
        Assert.Contains("SampleFrequency = 8000", text, StringComparison.Ordinal);
    }
}
