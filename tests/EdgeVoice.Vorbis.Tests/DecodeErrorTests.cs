namespace EdgeVoice.Vorbis.Tests;

public sealed class DecodeErrorTests
{
    private static string TestFile(string name) => Path.Combine(TestFiles.DataDirectory, name);

    [Fact]
    public void EmptyStreamIsRejected()
    {
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(), "empty.ogg"));
        Assert.Equal("empty.ogg: the stream is empty.", error.Message);
        Assert.Equal("empty.ogg", error.SourceName);
    }

    [Fact]
    public void WavFileIsNotOgg()
    {
        byte[] wav = [.. "RIFF"u8, 36, 0, 0, 0, .. "WAVEfmt "u8, .. new byte[40]];
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(wav), "speech.wav"));
        Assert.Contains("speech.wav: not an Ogg stream (bad capture pattern at offset 0)", error.Message);
    }

    [Fact]
    public void GarbageBetweenPagesIsABadCapturePattern()
    {
        byte[] file = File.ReadAllBytes(TestFile("tone16k_q4.ogg"));
        int second = OggTestPages.Pages(file)[1].Offset;
        byte[] broken = [.. file.AsSpan(0, second), 1, 2, 3, .. file.AsSpan(second)];
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(broken), "x.ogg"));
        Assert.Contains($"bad Ogg capture pattern at offset {second}", error.Message);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        byte[] file = File.ReadAllBytes(TestFile("speech8k_q4.ogg"));
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(file[..(file.Length / 2)]), "cut.ogg"));
        Assert.StartsWith("cut.ogg: truncated stream", error.Message);
    }

    [Fact]
    public void FileCutAfterTheHeadersIsReported()
    {
        byte[] file = File.ReadAllBytes(TestFile("speech8k_q4.ogg"));
        int firstPageEnd = OggTestPages.Pages(file)[0].Length;
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(file[..firstPageEnd]), "cut.ogg"));
        Assert.Contains("only 1 of the 3 Vorbis header packets", error.Message);
    }

    [Fact]
    public void CrcMismatchIsReported()
    {
        byte[] file = File.ReadAllBytes(TestFile("tone16k_q4.ogg"));
        file[file.Length - 100] ^= 0x40;
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(file), "flip.ogg"));
        Assert.Contains("CRC mismatch", error.Message);
    }

    [Fact]
    public void OpusStreamIsNotVorbis()
    {
        byte[] opus = OggTestPages.Build([[.. "OpusHead"u8, 1, 1, 0, 0, 0x80, 0xBB, 0, 0, 0, 0, 0], [.. "OpusTags"u8, 0, 0, 0, 0]]);
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(opus), "voice.opus"));
        Assert.Contains("not a Vorbis stream: the Ogg stream holds Opus audio", error.Message);
    }

    [Fact]
    public void OtherCodecIsNotVorbis()
    {
        byte[] other = OggTestPages.Build([[.. "\u007fFLAC"u8, 1, 0], [1, 2, 3], [4, 5, 6]]);
        var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(new MemoryStream(other), "a.oga"));
        Assert.Contains("first packet is not a Vorbis identification header", error.Message);
    }

    [Fact]
    public void HeadersWithoutAudioDecodeToNothing()
    {
        List<byte[]> packets = OggTestPages.Packets(TestFile("tone16k_q4.ogg"));
        VorbisAudio audio = VorbisFile.Decode(new MemoryStream(OggTestPages.Build(packets.Take(3).ToList())), "headers.ogg");
        Assert.Equal(0, audio.FrameCount);
        Assert.Equal(16000, audio.SampleRate);
    }

    [Fact]
    public void FloorType0IsAnExplicitUnsupportedFeature()
    {
        List<byte[]> packets = OggTestPages.Packets(TestFile("tone16k_q4.ogg"));
        byte[] setup = packets[2];
        var reader = new VorbisBitReader(setup);
        reader.Skip(7 * 8);
        int books = reader.ReadInt(8) + 1;
        for (int i = 0; i < books; i++)
        {
            VorbisCodebook.Read(reader, "t", i);
        }

        int times = reader.ReadInt(6) + 1;
        reader.Skip(16 * times);
        reader.Skip(6);
        long floorTypeBit = reader.BitPosition;
        for (long bit = floorTypeBit; bit < floorTypeBit + 16; bit++)
        {
            setup[bit / 8] &= (byte)~(1 << (int)(bit % 8));
        }

        byte[] stream = OggTestPages.Build(packets);
        var error = Assert.Throws<UnsupportedVorbisFeatureException>(() => VorbisFile.Decode(new MemoryStream(stream), "floor0.ogg"));
        Assert.Contains("floor0.ogg: unsupported Vorbis feature: floor type 0", error.Message);
    }

    [Fact]
    public void MissingFileIsAnIoError()
    {
        Assert.Throws<FileNotFoundException>(() => VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, "absent.ogg")));
    }
}
