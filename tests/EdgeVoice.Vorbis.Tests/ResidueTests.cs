namespace EdgeVoice.Vorbis.Tests;

/// <summary>
/// Residue layouts on a hand-made setup: one partition of 8 values, one class whose first pass uses a
/// 2-dimensional VQ book with entries (1,2), (3,4), (5,6), (7,8). libvorbis never writes residue 0, so the
/// sox comparisons cover only types 1 and 2; these check the three layouts directly.
/// </summary>
public sealed class ResidueTests
{
    private const uint Sync = 0x564342;

    [Fact]
    public void Type0InterleavesEachVectorAcrossThePartition()
    {
        float[][] v = DecodeOneChannel(type: 0, channels: 1);
        // Vectors 0..3 decoded in order; value d of vector i lands at i + d * (8 / 2).
        Assert.Equal([1f, 3f, 5f, 7f, 2f, 4f, 6f, 8f], v[0]);
    }

    [Fact]
    public void Type1StoresVectorsInOrder()
    {
        float[][] v = DecodeOneChannel(type: 1, channels: 1);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], v[0]);
    }

    [Fact]
    public void Type2DeinterleavesChannels()
    {
        // Type 2 decodes one vector of channels * n/2 values with type 1's layout, then deinterleaves.
        float[][] v = DecodeOneChannel(type: 2, channels: 2, halfBlock: 4);
        Assert.Equal([1f, 3f, 5f, 7f], v[0]);
        Assert.Equal([2f, 4f, 6f, 8f], v[1]);
    }

    [Fact]
    public void ChannelsMarkedDoNotDecodeStayZero()
    {
        VorbisResidue residue = BuildResidue(1, out _);
        float[][] vectors = [new float[8]];
        residue.Decode(new VorbisBitReader(EntryBits()), vectors, [true], 8);
        Assert.All(vectors[0], x => Assert.Equal(0f, x));
    }

    [Fact]
    public void EndOfPacketStopsQuietlyKeepingWhatWasDecoded()
    {
        VorbisResidue residue = BuildResidue(1, out _);
        float[][] vectors = [new float[8]];
        // One byte: the classword, three codewords and a lone bit, so the fourth vector hits the end of the packet.
        byte[] bits = new TestBitWriter().Write(0, 1).WriteCodeword("00").WriteCodeword("01").WriteCodeword("10").Write(0, 1).ToArray();
        Assert.Single(bits);
        residue.Decode(new VorbisBitReader(bits), vectors, [false], 8);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 0f, 0f], vectors[0]);
    }

    private static float[][] DecodeOneChannel(int type, int channels, int halfBlock = 8)
    {
        VorbisResidue residue = BuildResidue(type, out _);
        var vectors = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            vectors[c] = new float[halfBlock];
        }

        residue.Decode(new VorbisBitReader(EntryBits()), vectors, new bool[channels], halfBlock);
        return vectors;
    }

    /// <summary>The classword (single-entry book, 1 bit) then entries 0, 1, 2, 3 (2 bits each, codewords 00..11).</summary>
    private static byte[] EntryBits() =>
        new TestBitWriter().Write(0, 1).WriteCodeword("00").WriteCodeword("01").WriteCodeword("10").WriteCodeword("11").ToArray();

    private static VorbisResidue BuildResidue(int type, out VorbisCodebook[] books)
    {
        // Book 0: the classbook, one entry (always class 0). Book 1: 4 entries of length 2, 2 dimensions,
        // lookup type 2 with values 1..8 (minimum 1, delta 1, multiplicands 0..7).
        var classBook = new TestBitWriter().Write(Sync, 24).Write(1, 16).Write(1, 24).Write(0, 1).Write(0, 1).Write(0, 5).Write(0, 4);
        var vqBook = new TestBitWriter().Write(Sync, 24).Write(2, 16).Write(4, 24).Write(0, 1).Write(0, 1);
        for (int i = 0; i < 4; i++)
        {
            vqBook.Write(1, 5);
        }

        vqBook.Write(2, 4).Write((788u << 21) | 1, 32).Write((788u << 21) | 1, 32).Write(2, 4).Write(0, 1);
        for (uint m = 0; m < 8; m++)
        {
            vqBook.Write(m, 3);
        }

        books =
        [
            VorbisCodebook.Read(new VorbisBitReader(classBook.ToArray()), "t", 0),
            VorbisCodebook.Read(new VorbisBitReader(vqBook.ToArray()), "t", 1),
        ];

        // begin 0, end 8, partition size 8, one classification, classbook 0; class 0 uses book 1 in pass 0.
        var setup = new TestBitWriter().Write(0, 24).Write(8, 24).Write(7, 24).Write(0, 6).Write(0, 8);
        setup.Write(1, 3).Write(0, 1).Write(1, 8);
        return VorbisResidue.Read(new VorbisBitReader(setup.ToArray()), type, books, "t", 0);
    }
}
