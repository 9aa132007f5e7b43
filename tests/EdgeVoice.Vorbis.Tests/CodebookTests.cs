namespace EdgeVoice.Vorbis.Tests;

public sealed class CodebookTests
{
    private const uint Sync = 0x564342;

    [Fact]
    public void AssignsCodewordsInEntryOrderAsTheSpecExampleShows()
    {
        // The spec's example: lengths 2,4,4,4,4,2,3,3 give 00, 0100, 0101, 0110, 0111, 10, 110, 111.
        string[] codewords = ["00", "0100", "0101", "0110", "0111", "10", "110", "111"];
        VorbisCodebook book = ReadBook(UnorderedBook([2, 4, 4, 4, 4, 2, 3, 3]));
        AssertDecodes(book, codewords, [0, 1, 2, 3, 4, 5, 6, 7]);
        AssertDecodes(book, [.. codewords.Reverse()], [7, 6, 5, 4, 3, 2, 1, 0]);
    }

    [Fact]
    public void DecodesCodewordsLongerThanTheFastTable()
    {
        // Lengths 1..12 then 12: a complete tree whose deepest codewords need the slow path.
        int[] lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12];
        VorbisCodebook book = ReadBook(UnorderedBook(lengths));
        var codewords = new string[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            codewords[i] = i < 12 ? new string('1', i) + "0" : new string('1', 12);
        }

        AssertDecodes(book, codewords, Enumerable.Range(0, lengths.Length).ToArray());
    }

    [Fact]
    public void SparseBookSkipsUnusedEntries()
    {
        var writer = new TestBitWriter().Write(Sync, 24).Write(1, 16).Write(5, 24).Write(0, 1).Write(1, 1);
        int[] lengths = [0, 1, 0, 2, 2];
        foreach (int length in lengths)
        {
            writer.Write(length == 0 ? 0u : 1u, 1);
            if (length != 0)
            {
                writer.Write((uint)(length - 1), 5);
            }
        }

        VorbisCodebook book = ReadBook(writer.Write(0, 4));
        Assert.Equal(5, book.Entries);
        AssertDecodes(book, ["0", "10", "11"], [1, 3, 4]);
    }

    [Fact]
    public void SingleEntryBookAlwaysDecodesThatEntry()
    {
        var writer = new TestBitWriter().Write(Sync, 24).Write(1, 16).Write(3, 24).Write(0, 1).Write(1, 1);
        writer.Write(0, 1).Write(0, 1).Write(1, 1).Write(0, 5).Write(0, 4);
        VorbisCodebook book = ReadBook(writer);
        var reader = new VorbisBitReader([0b10]);
        Assert.Equal(2, book.DecodeEntry(reader));
        Assert.Equal(2, book.DecodeEntry(reader));
    }

    [Fact]
    public void OrderedLengthListIsExpanded()
    {
        // Ordered: start at length 2; one entry of length 2, two of length 3... (counts read with ilog(remaining) bits).
        var writer = new TestBitWriter().Write(Sync, 24).Write(1, 16).Write(4, 24).Write(1, 1).Write(1, 5);
        writer.Write(1, 3); // one entry of length 2 (ilog(4) = 3 bits)
        writer.Write(2, 2); // two entries of length 3 (ilog(3) = 2 bits)
        writer.Write(1, 1); // one entry of length 4 (ilog(1) = 1 bit)
        VorbisCodebook book = ReadBook(writer.Write(0, 4));
        AssertDecodes(book, ["00", "010", "011", "1000"], [0, 1, 2, 3]);
    }

    [Fact]
    public void OverSpecifiedTreeIsRejected()
    {
        var error = Assert.Throws<VorbisFormatException>(() => ReadBook(UnorderedBook([1, 1, 1])));
        Assert.Contains("over-specified", error.Message);
        Assert.Contains("test.ogg", error.Message);
    }

    [Fact]
    public void LookupType1BuildsTheCartesianLattice()
    {
        // 9 entries in 2 dimensions (an under-specified tree, accepted): lookup1_values = 3; minimum -1, delta 1, multiplicands 0, 1, 2.
        var writer = UnorderedBook(Enumerable.Repeat(4, 9).ToArray(), dimensions: 2, withLookup: false);
        writer.Write(1, 4).Write(PackFloat(-1), 32).Write(PackFloat(1), 32).Write(1, 4).Write(0, 1);
        writer.Write(0, 2).Write(1, 2).Write(2, 2);
        VorbisCodebook book = ReadBook(writer);
        Assert.NotNull(book.Vectors);
        for (int entry = 0; entry < 9; entry++)
        {
            Assert.Equal((entry % 3) - 1, book.Vectors![entry * 2]);
            Assert.Equal((entry / 3) - 1, book.Vectors[(entry * 2) + 1]);
        }
    }

    [Fact]
    public void LookupType2ReadsOneValuePerScalarWithSequence()
    {
        var writer = UnorderedBook([1, 1], dimensions: 2, withLookup: false);
        writer.Write(2, 4).Write(PackFloat(0), 32).Write(PackFloat(1), 32).Write(2, 4).Write(1, 1);
        writer.Write(1, 3).Write(2, 3).Write(3, 3).Write(4, 3);
        VorbisCodebook book = ReadBook(writer);
        Assert.Equal([1f, 3f, 3f, 7f], book.Vectors!);
    }

    [Theory]
    [InlineData(9, 2, 3)]
    [InlineData(8, 2, 2)]
    [InlineData(81, 4, 3)]
    [InlineData(80, 4, 2)]
    [InlineData(1, 7, 1)]
    [InlineData(1000, 1, 1000)]
    public void Lookup1ValuesIsTheIntegerRoot(int entries, int dimensions, long expected)
    {
        Assert.Equal(expected, VorbisMath.Lookup1Values(entries, dimensions));
    }

    [Fact]
    public void UnpacksSetupFloats()
    {
        Assert.Equal(1f, VorbisMath.UnpackFloat(PackFloat(1)));
        Assert.Equal(-1f, VorbisMath.UnpackFloat(PackFloat(-1)));
        Assert.Equal(0.5f, VorbisMath.UnpackFloat((787u << 21) | 1));
    }

    [Fact]
    public void InverseDbTableMatchesTheSpecification()
    {
        ReadOnlySpan<float> table = VorbisFloor1.InverseDbTable;
        Assert.Equal(256, table.Length);
        // A few values as printed (8 significant digits) in the specification's table.
        (int Index, double Value)[] printed = [(0, 1.0649863e-07), (1, 1.1341951e-07), (63, 5.6234160e-06), (71, 9.3057248e-06), (75, 1.1970856e-05), (255, 1.0)];
        foreach ((int index, double value) in printed)
        {
            Assert.True(Math.Abs(table[index] - value) <= value * 1e-7, $"table[{index}] = {table[index]:E8}, spec {value:E8}");
        }
    }

    private static uint PackFloat(int value) =>
        value == 0 ? 0u : (value < 0 ? 0x80000000u : 0u) | (788u << 21) | (uint)Math.Abs(value);

    private static TestBitWriter UnorderedBook(int[] lengths, int dimensions = 1, bool withLookup = true)
    {
        var writer = new TestBitWriter().Write(Sync, 24).Write((uint)dimensions, 16).Write((uint)lengths.Length, 24).Write(0, 1).Write(0, 1);
        foreach (int length in lengths)
        {
            writer.Write((uint)(length - 1), 5);
        }

        return withLookup ? writer.Write(0, 4) : writer;
    }

    private static VorbisCodebook ReadBook(TestBitWriter writer) =>
        VorbisCodebook.Read(new VorbisBitReader(writer.ToArray()), "test.ogg", 0);

    private static void AssertDecodes(VorbisCodebook book, string[] codewords, int[] expected)
    {
        var writer = new TestBitWriter();
        foreach (string codeword in codewords)
        {
            writer.WriteCodeword(codeword);
        }

        var reader = new VorbisBitReader(writer.ToArray());
        foreach (int entry in expected)
        {
            Assert.Equal(entry, book.DecodeEntry(reader));
        }
    }
}
