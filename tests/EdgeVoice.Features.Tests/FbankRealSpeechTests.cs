using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeVoice.Features.Tests;

/// <summary>
/// Parity with torchaudio (float64) on real speech: 2 utterances each of speechocean762 and AN4 (16 kHz) and FSDD
/// (8 kHz, at its native rate). training/golden/dump_fbank_real.py decodes them and writes samples and reference
/// features to a temporary folder, which is deleted afterwards; no corpus audio is committed.
/// </summary>
public sealed class FbankRealSpeechTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-3;

    [RealSpeechFact]
    public void MatchesTorchaudioFloat64OnRealSpeech()
    {
        string script = Path.Combine(TestData.RepoRoot, "training", "golden", "dump_fbank_real.py");
        string folder = Path.Combine(Path.GetTempPath(), $"edgevoice-fbank-real-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, log) = RealSpeechData.Run(RealSpeechData.Python, [script, RealSpeechData.Directory, folder], TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, $"{RealSpeechData.Python} {script} {RealSpeechData.Directory} {folder} failed ({exitCode}):\n{log}");

            var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json"))).RootElement;
            Assert.Equal("float64", manifest.GetProperty("reference_dtype").GetString());
            var cases = manifest.GetProperty("cases").EnumerateArray().ToList();
            Assert.True(cases.Count >= 6, $"{cases.Count} utterances instead of at least 6");
            Assert.Equal(new[] { "an4", "fsdd", "speechocean762" }, cases.Select(c => c.GetProperty("corpus").GetString()!).Distinct().Order().ToArray());

            double overall = 0;
            long values = 0;
            foreach (var item in cases)
            {
                string id = item.GetProperty("id").GetString()!;
                var samples = NpyFile.ReadVector(Path.Combine(folder, item.GetProperty("input").GetString()!));
                var expected = NpyFile.ReadMatrix(Path.Combine(folder, item.GetProperty("output").GetString()!));
                var actual = Fbank.Compute(samples, new FbankOptions { SampleFrequency = item.GetProperty("sample_rate").GetInt32() });
                Assert.True(
                    actual.NumFrames == expected.NumFrames && actual.Dimension == expected.Dimension,
                    $"{id}: shape ({actual.NumFrames}, {actual.Dimension}) instead of ({expected.NumFrames}, {expected.Dimension})");

                double max = 0;
                for (int i = 0; i < expected.Data.Length; i++)
                {
                    double diff = Math.Abs(actual.Data[i] - expected.Data[i]);
                    max = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(max, diff);
                }

                output.WriteLine($"real {id} ({item.GetProperty("sample_rate").GetInt32()} Hz, {expected.NumFrames}x{expected.Dimension}): max |C# - torchaudio float64| = {max:E3}");
                overall = Math.Max(overall, max);
                values += expected.Data.Length;
            }

            output.WriteLine($"real speech, {cases.Count} utterances, {values} values: max |C# - torchaudio float64| = {overall:E3}");
            Assert.True(overall <= Tolerance, $"max |C# - torchaudio float64| = {overall:E3} > {Tolerance:E0} on real speech");
        }
        finally
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
    }
}
