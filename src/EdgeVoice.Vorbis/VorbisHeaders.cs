namespace EdgeVoice.Vorbis;

/// <summary>
/// The three Vorbis header packets, parsed: identification (channels, rate, block sizes), comment (checked and
/// skipped) and setup (codebooks, floors, residues, mappings, modes).
/// </summary>
internal sealed class VorbisHeaders
{
    private const int IdentificationType = 1;
    private const int CommentType = 3;
    private const int SetupType = 5;

    private VorbisHeaders(int channels, int sampleRate, int blockSize0, int blockSize1)
    {
        Channels = channels;
        SampleRate = sampleRate;
        BlockSize0 = blockSize0;
        BlockSize1 = blockSize1;
    }

    public int Channels { get; }

    public int SampleRate { get; }

    /// <summary>Short block size in samples.</summary>
    public int BlockSize0 { get; }

    /// <summary>Long block size in samples.</summary>
    public int BlockSize1 { get; }

    public VorbisCodebook[] Codebooks { get; private set; } = [];

    public VorbisFloor1[] Floors { get; private set; } = [];

    public VorbisResidue[] Residues { get; private set; } = [];

    public VorbisMapping[] Mappings { get; private set; } = [];

    public VorbisMode[] Modes { get; private set; } = [];

    /// <summary>Parses the three header packets.</summary>
    public static VorbisHeaders Read(byte[] identification, byte[] comment, byte[] setup, string source)
    {
        VorbisHeaders headers = ReadIdentification(identification, source);
        CheckComment(comment, source);
        headers.ReadSetup(setup, source);
        return headers;
    }

    /// <summary>True when <paramref name="packet"/> starts with the header type byte and "vorbis".</summary>
    public static bool IsHeader(byte[] packet, int type) =>
        packet.Length >= 7 && packet[0] == type && packet.AsSpan(1, 6).SequenceEqual("vorbis"u8);

    /// <summary>The error for a first packet that is not a Vorbis identification header.</summary>
    public static VorbisFormatException NotVorbis(byte[] firstPacket, string source) =>
        new(source, firstPacket.AsSpan().StartsWith("OpusHead"u8)
            ? "not a Vorbis stream: the Ogg stream holds Opus audio"
            : "not a Vorbis stream: the first packet is not a Vorbis identification header");

    private static VorbisHeaders ReadIdentification(byte[] packet, string source)
    {
        if (!IsHeader(packet, IdentificationType))
        {
            throw NotVorbis(packet, source);
        }

        var reader = new VorbisBitReader(packet);
        reader.Skip(7 * 8);
        uint version = reader.ReadBits(32);
        int channels = reader.ReadInt(8);
        uint rate = reader.ReadBits(32);
        reader.ReadBits(32);
        reader.ReadBits(32);
        reader.ReadBits(32);
        int exponent0 = reader.ReadInt(4);
        int exponent1 = reader.ReadInt(4);
        bool framing = reader.ReadFlag();
        if (reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, "truncated Vorbis identification header");
        }

        if (version != 0)
        {
            throw new VorbisFormatException(source, $"unknown Vorbis version {version}");
        }

        if (channels == 0)
        {
            throw new VorbisFormatException(source, "the identification header declares zero channels");
        }

        if (rate == 0 || rate > int.MaxValue)
        {
            throw new VorbisFormatException(source, $"the identification header declares an invalid sample rate {rate}");
        }

        if (exponent0 < 6 || exponent1 > 13 || exponent0 > exponent1)
        {
            throw new VorbisFormatException(source, $"invalid block sizes 2^{exponent0} and 2^{exponent1} in the identification header");
        }

        if (!framing)
        {
            throw new VorbisFormatException(source, "the identification header has no framing bit");
        }

        return new VorbisHeaders(channels, (int)rate, 1 << exponent0, 1 << exponent1);
    }

    private static void CheckComment(byte[] packet, string source)
    {
        if (!IsHeader(packet, CommentType))
        {
            throw new VorbisFormatException(source, "the second packet is not a Vorbis comment header");
        }

        var reader = new VorbisBitReader(packet);
        reader.Skip(7 * 8);
        uint vendorLength = reader.ReadBits(32);
        if (vendorLength * 8L > reader.RemainingBits)
        {
            throw new VorbisFormatException(source, "truncated Vorbis comment header (vendor string)");
        }

        reader.Skip((int)(vendorLength * 8));
        uint count = reader.ReadBits(32);
        for (uint i = 0; i < count && !reader.EndOfPacket; i++)
        {
            uint length = reader.ReadBits(32);
            if (length * 8L > reader.RemainingBits)
            {
                throw new VorbisFormatException(source, $"truncated Vorbis comment header (comment {i})");
            }

            reader.Skip((int)(length * 8));
        }

        if (reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, "truncated Vorbis comment header");
        }
    }

    private void ReadSetup(byte[] packet, string source)
    {
        if (!IsHeader(packet, SetupType))
        {
            throw new VorbisFormatException(source, "the third packet is not a Vorbis setup header");
        }

        var reader = new VorbisBitReader(packet);
        reader.Skip(7 * 8);

        var books = new VorbisCodebook[reader.ReadInt(8) + 1];
        for (int i = 0; i < books.Length; i++)
        {
            books[i] = VorbisCodebook.Read(reader, source, i);
        }

        int timeCount = reader.ReadInt(6) + 1;
        for (int i = 0; i < timeCount; i++)
        {
            if (reader.ReadBits(16) != 0)
            {
                throw new VorbisFormatException(source, "the setup header has a non-zero time domain transform type");
            }
        }

        var floors = new VorbisFloor1[reader.ReadInt(6) + 1];
        for (int i = 0; i < floors.Length; i++)
        {
            int type = reader.ReadInt(16);
            if (type == 0)
            {
                throw new UnsupportedVorbisFeatureException(source, "floor type 0 (not written by libvorbis since 2002)");
            }

            if (type != 1)
            {
                throw new VorbisFormatException(source, $"floor {i} has invalid type {type}");
            }

            floors[i] = VorbisFloor1.Read(reader, books, source, i);
        }

        var residues = new VorbisResidue[reader.ReadInt(6) + 1];
        for (int i = 0; i < residues.Length; i++)
        {
            int type = reader.ReadInt(16);
            if (type > 2)
            {
                throw new VorbisFormatException(source, $"residue {i} has invalid type {type}");
            }

            residues[i] = VorbisResidue.Read(reader, type, books, source, i);
        }

        var mappings = new VorbisMapping[reader.ReadInt(6) + 1];
        for (int i = 0; i < mappings.Length; i++)
        {
            mappings[i] = VorbisMapping.Read(reader, Channels, floors.Length, residues.Length, source, i);
        }

        var modes = new VorbisMode[reader.ReadInt(6) + 1];
        for (int i = 0; i < modes.Length; i++)
        {
            bool longBlock = reader.ReadFlag();
            int windowType = reader.ReadInt(16);
            int transformType = reader.ReadInt(16);
            int mapping = reader.ReadInt(8);
            if (windowType != 0 || transformType != 0 || mapping >= mappings.Length)
            {
                throw new VorbisFormatException(source, $"mode {i} is invalid (window {windowType}, transform {transformType}, mapping {mapping})");
            }

            modes[i] = new VorbisMode(longBlock, mapping);
        }

        if (!reader.ReadFlag() || reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, "truncated Vorbis setup header (no framing bit)");
        }

        Codebooks = books;
        Floors = floors;
        Residues = residues;
        Mappings = mappings;
        Modes = modes;
    }
}
