namespace EdgeVoice.Features.Tests;

public sealed class GlobalCmvnTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevoice-cmvn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void StatsFromFeaturesNormaliseThemToZeroMeanUnitVariance()
    {
        var accumulator = new CmvnStatsAccumulator(80);
        var utterances = new[] { 1, 2, 3 }.Select(seed => Fbank.Compute(TestData.SweepWithSilence(12000 + (seed * 1000), 16000, seed))).ToArray();
        foreach (var features in utterances)
        {
            accumulator.Accumulate(features);
        }

        var cmvn = accumulator.ToCmvn();
        Assert.Equal(utterances.Sum(u => u.NumFrames), cmvn.Count);

        var check = new CmvnStatsAccumulator(80);
        foreach (var features in utterances)
        {
            cmvn.Apply(features);
            check.Accumulate(features);
        }

        var after = check.ToCmvn();
        for (int d = 0; d < 80; d++)
        {
            Assert.Equal(0.0, after.Mean[d], 3);
            Assert.Equal(1.0, after.Std[d], 3);
        }
    }

    [Fact]
    public void SaveLoadRoundTripsExactly()
    {
        var cmvn = new GlobalCmvn([1.5f, -2.25f, 1e-7f, 3.3333333f], [0.5f, 2.0f, 1e-3f, 7.77f], 1234);
        string path = Path.Combine(_dir, "cmvn.json");
        cmvn.Save(path);
        var loaded = GlobalCmvn.Load(path);
        Assert.Equal(cmvn.Mean.ToArray(), loaded.Mean.ToArray());
        Assert.Equal(cmvn.Std.ToArray(), loaded.Std.ToArray());
        Assert.Equal(1234, loaded.Count);
        Assert.Equal(path, loaded.Source);
        Assert.Contains("\"format\": \"edgevoice-global-cmvn\"", File.ReadAllText(path), StringComparison.Ordinal);

        var frames = new float[] { 2.5f, -0.25f, 1e-7f, 3.3333333f, 1.5f, -2.25f, 1.0001e-3f, 11.1033333f };
        loaded.Apply(frames);
        Assert.Equal([2.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 1.0f], frames.Select(v => MathF.Round(v, 4)).ToArray());
    }

    [Fact]
    public void MinimalHandWrittenFileLoads()
    {
        string path = Write("min.json", "{\"mean\": [0, 1], \"std\": [1, 2]}");
        var cmvn = GlobalCmvn.Load(path);
        Assert.Equal(2, cmvn.Dimension);
        Assert.Equal(0, cmvn.Count);
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "{\"mean\": [0, 1], \"std\": [1]}", "dimension mismatch" },
        { "{\"mean\": [0, 1], \"std\": [1, 0]}", "std[1] = 0 must be positive" },
        { "{\"mean\": [0, 1], \"std\": [-1, 1]}", "std[0] = -1 must be positive" },
        { "{\"mean\": [0, 1]}", "missing the \"std\" array" },
        { "{\"mean\": [0, \"x\"], \"std\": [1, 1]}", "\"mean\"[1] is not a number" },
        { "{\"mean\": [], \"std\": []}", "\"mean\" is empty" },
        { "{\"version\": 2, \"mean\": [0], \"std\": [1]}", "version 2 is not supported" },
        { "[1, 2]", "expected a JSON object" },
        { "{not json", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFilesFailNamingTheFile(string json, string expected)
    {
        string path = Write("bad.json", json);
        var e = Assert.Throws<InvalidDataException>(() => GlobalCmvn.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DimensionMismatchOnApplyNamesTheFile()
    {
        string path = Write("three.json", "{\"mean\": [0, 0, 0], \"std\": [1, 1, 1]}");
        var cmvn = GlobalCmvn.Load(path);
        var e = Assert.Throws<ArgumentException>(() => cmvn.Apply(new FeatureMatrix(2, 80)));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cmvn.Apply(new float[7]));
    }

    [Fact]
    public void AccumulatorRejectsMisuse()
    {
        var accumulator = new CmvnStatsAccumulator(4);
        Assert.Throws<InvalidOperationException>(() => accumulator.ToCmvn());
        Assert.Throws<ArgumentException>(() => accumulator.Accumulate(new float[6]));
        Assert.Throws<ArgumentException>(() => accumulator.Accumulate(new FeatureMatrix(1, 5)));
        Assert.Throws<ArgumentException>(() => new GlobalCmvn([0f, 1f], [1f, 0f]));

        accumulator.Accumulate(new float[8]);
        Assert.True(accumulator.ToCmvn().Std[0] > 0);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
