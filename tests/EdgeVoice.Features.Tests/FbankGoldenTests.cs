using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeVoice.Features.Tests;

/// <summary>
/// Parity with torchaudio.compliance.kaldi.fbank, run in float64, on the committed golden set
/// (tests/data/golden/fbank, made by training/golden/make_fbank_golden.py).
/// </summary>
public sealed class FbankGoldenTests(ITestOutputHelper output)
{
    private const int ExpectedVersion = 2;
    private const double Tolerance = 1e-3;
    private const string RegenerateCommand = "/usr/bin/python3 training/golden/make_fbank_golden.py";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var item in LoadManifest().GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Fact]
    public void ManifestHasTheExpectedVersionAndEnoughCases()
    {
        var manifest = LoadManifest();
        Assert.True(
            manifest.GetProperty("version").GetInt32() == ExpectedVersion,
            $"Golden fbank files are version {manifest.GetProperty("version")}, the test expects {ExpectedVersion}. Regenerate with: {RegenerateCommand}");
        Assert.Equal("float64", manifest.GetProperty("reference_dtype").GetString());
        Assert.True(manifest.GetProperty("cases").GetArrayLength() >= 5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchaudio(string name)
    {
        var item = LoadManifest().GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var options = ToOptions(item.GetProperty("options"));
        var samples = NpyFile.ReadVector(Path.Combine(TestData.GoldenFbankDirectory, item.GetProperty("input").GetString()!));
        var expected = NpyFile.ReadMatrix(Path.Combine(TestData.GoldenFbankDirectory, item.GetProperty("output").GetString()!));

        var actual = Fbank.Compute(samples, options);

        Assert.True(
            actual.NumFrames == expected.NumFrames && actual.Dimension == expected.Dimension,
            $"{name}: shape ({actual.NumFrames}, {actual.Dimension}) instead of ({expected.NumFrames}, {expected.Dimension}). Regenerate with: {RegenerateCommand}");
        double max = 0;
        int worst = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            double diff = Math.Abs(actual.Data[i] - expected.Data[i]);
            if (double.IsNaN(diff) || diff > max)
            {
                max = double.IsNaN(diff) ? double.PositiveInfinity : diff;
                worst = i;
            }
        }

        output.WriteLine($"golden {name}: {expected.NumFrames}x{expected.Dimension}, max |C# - torchaudio| = {max:E3} at frame {worst / expected.Dimension}, bin {worst % expected.Dimension}");
        Assert.True(
            max <= Tolerance,
            $"{name}: max |C# - torchaudio| = {max:E3} > {Tolerance:E0} at frame {worst / expected.Dimension}, bin {worst % expected.Dimension} "
            + $"({actual.Data[worst]} vs {expected.Data[worst]}). If the reference changed on purpose, regenerate with: {RegenerateCommand}");
    }

    private static JsonElement LoadManifest()
    {
        string path = Path.Combine(TestData.GoldenFbankDirectory, "manifest.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing {path}. Generate it with: {RegenerateCommand}");
        }

        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    private static FbankOptions ToOptions(JsonElement o) => new()
    {
        SampleFrequency = o.GetProperty("sample_frequency").GetDouble(),
        FrameLengthMs = o.GetProperty("frame_length").GetDouble(),
        FrameShiftMs = o.GetProperty("frame_shift").GetDouble(),
        Dither = o.GetProperty("dither").GetDouble(),
        PreemphasisCoefficient = o.GetProperty("preemphasis_coefficient").GetDouble(),
        RemoveDcOffset = o.GetProperty("remove_dc_offset").GetBoolean(),
        WindowType = Enum.Parse<FeatureWindowType>(o.GetProperty("window_type").GetString()!, ignoreCase: true),
        RoundToPowerOfTwo = o.GetProperty("round_to_power_of_two").GetBoolean(),
        BlackmanCoeff = o.GetProperty("blackman_coeff").GetDouble(),
        SnipEdges = o.GetProperty("snip_edges").GetBoolean(),
        NumMelBins = o.GetProperty("num_mel_bins").GetInt32(),
        LowFreq = o.GetProperty("low_freq").GetDouble(),
        HighFreq = o.GetProperty("high_freq").GetDouble(),
        UseEnergy = o.GetProperty("use_energy").GetBoolean(),
        EnergyFloor = o.GetProperty("energy_floor").GetDouble(),
        RawEnergy = o.GetProperty("raw_energy").GetBoolean(),
        UseLogFbank = o.GetProperty("use_log_fbank").GetBoolean(),
        UsePower = o.GetProperty("use_power").GetBoolean(),
        HtkCompat = o.GetProperty("htk_compat").GetBoolean(),
    };
}
