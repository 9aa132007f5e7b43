using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>
/// Decodes a fixed sample of the shared real-speech set (../shared/data/real from the repository root)
/// and checks it against sox and the manifest's durations. Nothing decoded here is written to disk.
/// </summary>
public sealed class RealDataTests(ITestOutputHelper output)
{
    private const int FilesPerCorpus = 17;
    private const double Tolerance = 1e-4;

    [Fact]
    public void SampleOfRealFilesMatchesSoxAndManifest()
    {
        string? root = TestFiles.RealDataDirectory;
        if (root is null)
        {
            output.WriteLine("skipped: the real data set (../shared/data/real relative to the repository root) is absent");
            return;
        }

        List<ManifestEntry> sample = PickSample(root);
        Assert.NotEmpty(sample);
        double worst = 0;
        foreach (ManifestEntry entry in sample)
        {
            string path = Path.Combine(root, entry.Audio);
            VorbisAudio audio = VorbisFile.Decode(path);

            Assert.Equal(entry.SampleRate, audio.SampleRate);
            Assert.Equal(1, audio.Channels);
            double expectedFrames = entry.Duration * entry.SampleRate;
            Assert.True(
                Math.Abs(audio.FrameCount - expectedFrames) <= (entry.SampleRate * 0.0005) + 1,
                $"{entry.Audio}: {audio.FrameCount} frames, manifest duration {entry.Duration} s gives {expectedFrames}");

            if (TestFiles.SoxAvailable)
            {
                float[] reference = TestFiles.DecodeWithSox(path);
                Assert.Equal(reference.Length, audio.Interleaved.Length);
                double diff = Pcm16.MaxAbsDifference(audio.Interleaved, reference);
                Assert.True(diff < Tolerance, $"{entry.Audio}: max abs difference {diff} exceeds {Tolerance}");
                worst = Math.Max(worst, diff);
            }
        }

        output.WriteLine(TestFiles.SoxAvailable
            ? $"{sample.Count} real files: sample counts match sox and the manifest; worst max abs diff vs sox {worst:E2}"
            : $"{sample.Count} real files: sample counts match the manifest; sox not installed, no sample comparison");
        output.WriteLine(MeasureSpeed(root, sample));
    }

    /// <summary>
    /// Decode speed on the sample, for information only (nothing is asserted): files are read into memory
    /// first and decoded once to warm up the JIT, then decoded again under the stopwatch.
    /// </summary>
    private static string MeasureSpeed(string root, List<ManifestEntry> sample)
    {
        List<byte[]> files = sample.Select(e => File.ReadAllBytes(Path.Combine(root, e.Audio))).ToList();
        foreach (byte[] file in files)
        {
            VorbisFile.Decode(new MemoryStream(file), "warm-up");
        }

        double audioSeconds = 0;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (byte[] file in files)
        {
            audioSeconds += VorbisFile.Decode(new MemoryStream(file), "timed").Duration.TotalSeconds;
        }

        clock.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return $"speed: {audioSeconds:F1} s of audio in {clock.Elapsed.TotalSeconds:F3} s wall ({audioSeconds / clock.Elapsed.TotalSeconds:F0}x real time), " +
               $"{cpu:F3} s CPU ({audioSeconds / Math.Max(cpu, 1e-9):F0}x real time per core)";
    }

    /// <summary>The first <see cref="FilesPerCorpus"/> files of each corpus after a fixed-seed shuffle.</summary>
    private static List<ManifestEntry> PickSample(string root)
    {
        var entries = new List<ManifestEntry>();
        foreach (string line in File.ReadLines(Path.Combine(root, "manifest.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            entries.Add(new ManifestEntry(
                e.GetProperty("audio").GetString()!, e.GetProperty("corpus").GetString()!,
                e.GetProperty("sample_rate").GetInt32(), e.GetProperty("duration").GetDouble()));
        }

        var random = new Random(20261122);
        return entries
            .OrderBy(_ => random.Next())
            .GroupBy(e => e.Corpus)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Take(FilesPerCorpus))
            .ToList();
    }

    private sealed record ManifestEntry(string Audio, string Corpus, int SampleRate, double Duration);
}
