using System.Buffers.Binary;

namespace EdgeVoice.Vorbis.Tests;

public sealed class OggPacketReaderTests
{
    private static readonly byte[][] SamplePackets =
    [
        Filled(10, 1), Filled(1000, 2), Filled(255, 3), [], Filled(510, 4), Filled(7, 5),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(255)]
    public void PacketsSurviveLacingAndPageBoundaries(int segmentsPerPage)
    {
        byte[] stream = OggTestPages.Build(SamplePackets, segmentsPerPage, granule: 4242);
        List<OggPacket> packets = OggPacketReader.ReadPackets(stream, "test.ogg");
        Assert.Equal(SamplePackets.Length, packets.Count);
        for (int i = 0; i < SamplePackets.Length; i++)
        {
            Assert.Equal(SamplePackets[i], packets[i].Data);
        }

        Assert.Equal(4242, packets[^1].GranulePosition);
        Assert.True(packets[^1].IsEndOfStream);
        Assert.All(packets.SkipLast(1), p => Assert.False(p.IsEndOfStream));
    }

    [Fact]
    public void GranulePositionGoesToTheLastPacketCompletedOnEachPage()
    {
        byte[] stream = OggTestPages.Build([Filled(3, 1), Filled(3, 2), Filled(3, 3)], segmentsPerPage: 2, granule: 77);
        List<OggPacket> packets = OggPacketReader.ReadPackets(stream, "test.ogg");
        Assert.Equal([-1L, 77L, 77L], packets.Select(p => p.GranulePosition));
    }

    [Fact]
    public void PagesOfOtherLogicalStreamsAreSkipped()
    {
        byte[] first = OggTestPages.Build([Filled(20, 1), Filled(20, 2)], segmentsPerPage: 1);
        byte[] other = OggTestPages.Build([Filled(30, 9), Filled(30, 9)], segmentsPerPage: 1, serial: 99);
        List<(int Offset, int Length)> a = OggTestPages.Pages(first);
        List<(int Offset, int Length)> b = OggTestPages.Pages(other);
        byte[] mixed =
        [
            .. first.AsSpan(a[0].Offset, a[0].Length), .. other.AsSpan(b[0].Offset, b[0].Length),
            .. other.AsSpan(b[1].Offset, b[1].Length), .. first.AsSpan(a[1].Offset, a[1].Length),
        ];
        List<OggPacket> packets = OggPacketReader.ReadPackets(mixed, "mixed.ogg");
        Assert.Equal(2, packets.Count);
        Assert.All(packets, p => Assert.Equal(20, p.Data.Length));
    }

    [Fact]
    public void CorruptByteIsReportedAsCrcMismatchWithTheOffset()
    {
        byte[] stream = OggTestPages.Build(SamplePackets, 2);
        stream[^3] ^= 0x10;
        var error = Assert.Throws<VorbisFormatException>(() => OggPacketReader.ReadPackets(stream, "bad.ogg"));
        Assert.StartsWith("bad.ogg: CRC mismatch in the Ogg page at offset", error.Message);
    }

    [Fact]
    public void MissingPageIsReported()
    {
        byte[] stream = OggTestPages.Build([Filled(5, 1), Filled(5, 2), Filled(5, 3)], segmentsPerPage: 1);
        List<(int Offset, int Length)> pages = OggTestPages.Pages(stream);
        byte[] gap = [.. stream.AsSpan(0, pages[1].Offset), .. stream.AsSpan(pages[2].Offset)];
        var error = Assert.Throws<VorbisFormatException>(() => OggPacketReader.ReadPackets(gap, "gap.ogg"));
        Assert.Contains("a page is missing", error.Message);
    }

    [Fact]
    public void CrcIsTheOggPolynomialOverThePage()
    {
        // Any page of a sox-written file must carry the CRC this implementation computes.
        byte[] file = File.ReadAllBytes(Path.Combine(TestFiles.DataDirectory, "tone16k_q4.ogg"));
        foreach ((int offset, int length) in OggTestPages.Pages(file))
        {
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 22));
            Assert.Equal(stored, OggCrc32.OfPage(file.AsSpan(offset, length)));
        }
    }

    private static byte[] Filled(int length, byte seed)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(seed + (i * 7));
        }

        return data;
    }
}
