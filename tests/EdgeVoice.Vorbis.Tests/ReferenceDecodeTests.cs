using System.IO.Compression;
using Xunit.Abstractions;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>Compares decodes with sox's decodes committed next to the test files, so it runs without sox.</summary>
public sealed class ReferenceDecodeTests(ITestOutputHelper output)
{
    /// <summary>sox writes 16-bit samples: half a step (1.5e-5) of rounding, plus float noise.</summary>
    private const double Tolerance = 1e-4;

    public static TheoryData<string> References() => new(ReferenceNames());

    [Theory]
    [MemberData(nameof(References))]
    public void MatchesCommittedSoxDecode(string name)
    {
        VorbisAudio audio = VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, name + ".ogg"));
        float[] reference = ReadReference(name);
        double diff = Pcm16.MaxAbsDifference(audio.Interleaved, reference);
        output.WriteLine($"{name}: {audio.FrameCount} frames x {audio.Channels} ch, max abs diff {diff:E2}");
        Assert.Equal(reference.Length, audio.Interleaved.Length);
        Assert.True(diff < Tolerance, $"max abs difference {diff} exceeds {Tolerance}");
    }

    [Fact]
    public void CommittedReferencesCoverMonoStereoAndSeveralRates()
    {
        var formats = ReferenceNames()
            .Select(name => VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, name + ".ogg")))
            .Select(a => (a.SampleRate, a.Channels))
            .ToHashSet();
        Assert.Contains(formats, f => f.Channels == 2);
        Assert.Contains(formats, f => f is { SampleRate: 16000, Channels: 1 });
        Assert.Contains(formats, f => f is { SampleRate: 8000, Channels: 1 });
    }

    private static IEnumerable<string> ReferenceNames() =>
        Directory.EnumerateFiles(TestFiles.DataDirectory, "*.sox.s16.gz")
            .Select(path => Path.GetFileName(path)[..^".sox.s16.gz".Length])
            .Order(StringComparer.Ordinal);

    private static float[] ReadReference(string name)
    {
        using FileStream file = File.OpenRead(Path.Combine(TestFiles.DataDirectory, name + ".sox.s16.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return Pcm16.ToFloat(bytes.ToArray());
    }
}
