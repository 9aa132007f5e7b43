using System.Buffers.Binary;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>
/// The output length follows the granule positions as libvorbis does: a first audio page whose granule is
/// below the samples decoded so far drops the difference from the start; the end-of-stream page's granule
/// cuts the last block. Checked against the original decode, and against sox when it is installed.
/// </summary>
public sealed class GranulePositionTests
{
    private const string Name = "speech8k_q4.ogg";

    [Fact]
    public void LowerGranulesDropSamplesAtTheStart()
    {
        (float[] original, float[] shifted, byte[] data) = DecodeShifted(pages => pages.Select(g => g - 300).ToArray());
        Assert.Equal(original.Length - 300, shifted.Length);
        Assert.Equal(original[300..], shifted);

        // libvorbis drops at most the samples of the last packet on that page (here 256 of the 300) and sox
        // then stops at the final granule; the spec drops the whole difference from the start. Same length.
        CompareWithSox(data, shifted, compareSamples: false);
    }

    [Fact]
    public void LowerFinalGranuleCutsTheEnd()
    {
        (float[] original, float[] shifted, byte[] data) = DecodeShifted(pages =>
        {
            long[] result = (long[])pages.Clone();
            result[^1] -= 100;
            return result;
        });
        Assert.Equal(original[..^100], shifted);
        CompareWithSox(data, shifted);
    }

    [Fact]
    public void HigherGranulesKeepEverySample()
    {
        (float[] original, float[] shifted, byte[] data) = DecodeShifted(pages => pages.Select(g => g + 500).ToArray());
        Assert.Equal(original, shifted);
        CompareWithSox(data, shifted);
    }

    [Fact]
    public void MuchLowerFinalGranuleCutsBeyondTheLastPacket()
    {
        (float[] original, float[] shifted, byte[] data) = DecodeShifted(pages =>
        {
            long[] result = (long[])pages.Clone();
            result[^1] = result[^2] + 10;
            return result;
        });
        Assert.Equal(original.Length - 374, shifted.Length); // 34432 - (34048 + 10)
        Assert.Equal(original[..shifted.Length], shifted);
        CompareWithSox(data, shifted);
    }

    [Fact]
    public void LengthEqualsTheFinalGranuleOfSoxFiles()
    {
        foreach (string path in TestFiles.OggFiles)
        {
            byte[] data = File.ReadAllBytes(path);
            (int offset, _) = OggTestPages.Pages(data)[^1];
            long lastGranule = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset + 6));
            Assert.Equal(lastGranule, VorbisFile.Decode(path).FrameCount);
        }
    }

    [Fact]
    public void GranulesFarBelowTheAudioAreRejected()
    {
        string path = Path.Combine(TestFiles.DataDirectory, Name);
        byte[] data = File.ReadAllBytes(path);
        foreach ((int offset, int length) in OggTestPages.Pages(data).Where(p => ReadGranule(data, p.Offset) > 0))
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(offset + 6), 10);
            OggTestPages.FixCrc(data, offset, length);
        }

        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(data), "bad-granules.ogg"));
        Assert.Contains("granule positions are corrupt", error.Message);
    }

    /// <summary>Rewrites the granule positions of the audio pages (those after the headers) and decodes both versions.</summary>
    private static (float[] Original, float[] Shifted, byte[] Data) DecodeShifted(Func<long[], long[]> change)
    {
        string path = Path.Combine(TestFiles.DataDirectory, Name);
        byte[] data = File.ReadAllBytes(path);
        List<(int Offset, int Length)> pages = OggTestPages.Pages(data).Where(p => ReadGranule(data, p.Offset) > 0).ToList();
        Assert.True(pages.Count >= 3, "the test file needs several audio pages");
        long[] granules = change(pages.Select(p => ReadGranule(data, p.Offset)).ToArray());
        for (int i = 0; i < pages.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(pages[i].Offset + 6), granules[i]);
            OggTestPages.FixCrc(data, pages[i].Offset, pages[i].Length);
        }

        float[] original = VorbisFile.Decode(path).Interleaved;
        float[] shifted = VorbisFile.Decode(new MemoryStream(data), "shifted.ogg").Interleaved;
        return (original, shifted, data);
    }

    private static long ReadGranule(byte[] data, int pageOffset) => BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pageOffset + 6));

    private static void CompareWithSox(byte[] data, float[] decoded, bool compareSamples = true)
    {
        if (!TestFiles.SoxAvailable)
        {
            return;
        }

        string temp = Path.Combine(Path.GetTempPath(), $"edgevoice-vorbis-{Guid.NewGuid():N}.ogg");
        try
        {
            File.WriteAllBytes(temp, data);
            float[] reference = TestFiles.DecodeWithSox(temp);
            Assert.Equal(reference.Length, decoded.Length);
            Assert.True(!compareSamples || Pcm16.MaxAbsDifference(decoded, reference) < 1e-4);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
