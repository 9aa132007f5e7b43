using System.Buffers.Binary;

namespace EdgeVoice.Audio;

/// <summary>The decoded contents of a WAV "fmt " chunk, checked for consistency.</summary>
internal sealed class WavFormat
{
    /// <summary>Smallest legal fmt chunk (WAVEFORMAT plus wBitsPerSample).</summary>
    public const int MinChunkSize = 16;

    /// <summary>Largest fmt chunk accepted; real ones are 16, 18 or 40 bytes.</summary>
    public const int MaxChunkSize = 1024;

    private const ushort TagPcm = 0x0001;
    private const ushort TagFloat = 0x0003;
    private const ushort TagALaw = 0x0006;
    private const ushort TagMuLaw = 0x0007;
    private const ushort TagExtensible = 0xFFFE;

    // Bytes 2..15 shared by every KSDATAFORMAT_SUBTYPE GUID that wraps a classic format tag.
    private static ReadOnlySpan<byte> SubFormatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private WavFormat(WavEncoding encoding, int channels, int sampleRate, int bytesPerSample)
    {
        Encoding = encoding;
        Channels = channels;
        SampleRate = sampleRate;
        BytesPerSample = bytesPerSample;
    }

    public WavEncoding Encoding { get; }

    public int Channels { get; }

    public int SampleRate { get; }

    /// <summary>Bytes of one sample of one channel.</summary>
    public int BytesPerSample { get; }

    /// <summary>Bytes of one frame (one sample of every channel).</summary>
    public int BlockAlign => Channels * BytesPerSample;

    /// <summary>Parses and validates the body of a fmt chunk (without its 8-byte chunk header).</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> chunk, string sourceName)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        int bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);

        if (channels == 0)
        {
            throw new InvalidWavHeaderException(sourceName, "the fmt chunk declares 0 channels", "the header is corrupt; re-export the file");
        }

        if (channels > AudioLimits.MaxChannels)
        {
            throw new InvalidWavHeaderException(
                sourceName,
                $"the fmt chunk declares {channels} channels, more than the {AudioLimits.MaxChannels} a real recording has",
                "the header is corrupt; re-export the file");
        }

        if (tag == TagExtensible)
        {
            tag = ReadExtensibleSubFormat(chunk, bitsPerSample, sourceName);
        }

        var encoding = ToEncoding(tag, bitsPerSample, sourceName);
        int bytesPerSample = bitsPerSample / 8;
        if (blockAlign != channels * bytesPerSample)
        {
            throw new InvalidWavHeaderException(
                sourceName,
                $"block align is {blockAlign} bytes but {channels} channel(s) of {bitsPerSample}-bit samples need {channels * bytesPerSample}",
                "the header is corrupt; re-export the file or " + AudioException.SoxConversion(sourceName));
        }

        if (!AudioLimits.IsSupportedSampleRate(sampleRate))
        {
            throw new UnsupportedSampleRateException(sourceName, sampleRate);
        }

        return new WavFormat(encoding, channels, (int)sampleRate, bytesPerSample);
    }

    private static ushort ReadExtensibleSubFormat(ReadOnlySpan<byte> chunk, int bitsPerSample, string sourceName)
    {
        int extensionSize = chunk.Length >= 18 ? BinaryPrimitives.ReadUInt16LittleEndian(chunk[16..]) : 0;
        if (chunk.Length < 40 || extensionSize < 22)
        {
            throw new InvalidWavHeaderException(
                sourceName,
                $"the fmt chunk says WAVE_FORMAT_EXTENSIBLE but is {chunk.Length} bytes with a {extensionSize}-byte extension (needs 40 and 22)",
                "the header is corrupt; re-export the file");
        }

        int validBits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[18..]);
        if (validBits > bitsPerSample)
        {
            throw new InvalidWavHeaderException(
                sourceName,
                $"{validBits} valid bits per sample do not fit in a {bitsPerSample}-bit container",
                "the header is corrupt; re-export the file");
        }

        var guid = chunk.Slice(24, 16);
        if (!guid[2..].SequenceEqual(SubFormatGuidTail))
        {
            throw new UnsupportedAudioEncodingException(
                sourceName,
                $"WAVE_FORMAT_EXTENSIBLE with sub-format {new Guid(guid)} is not a PCM, float, A-law or µ-law encoding",
                AudioException.SoxConversion(sourceName));
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(guid);
    }

    private static WavEncoding ToEncoding(ushort tag, int bitsPerSample, string sourceName)
    {
        WavEncoding? encoding = (tag, bitsPerSample) switch
        {
            (TagPcm, 8) => WavEncoding.UnsignedInt8,
            (TagPcm, 16) => WavEncoding.SignedInt16,
            (TagPcm, 24) => WavEncoding.SignedInt24,
            (TagPcm, 32) => WavEncoding.SignedInt32,
            (TagFloat, 32) => WavEncoding.Float32,
            (TagFloat, 64) => WavEncoding.Float64,
            (TagALaw, 8) => WavEncoding.ALaw,
            (TagMuLaw, 8) => WavEncoding.MuLaw,
            _ => null,
        };

        if (encoding is { } known)
        {
            return known;
        }

        string problem = tag is TagPcm or TagFloat or TagALaw or TagMuLaw
            ? $"{DescribeTag(tag)} with {bitsPerSample} bits per sample is not supported"
            : $"the encoding {DescribeTag(tag)} is not supported (EdgeVoice reads PCM 8/16/24/32-bit, float 32/64-bit, A-law and µ-law)";
        throw new UnsupportedAudioEncodingException(sourceName, problem, AudioException.SoxConversion(sourceName));
    }

    private static string DescribeTag(ushort tag) => tag switch
    {
        TagPcm => "PCM",
        TagFloat => "IEEE float",
        TagALaw => "A-law",
        TagMuLaw => "µ-law",
        0x0002 => "Microsoft ADPCM (format tag 0x0002)",
        0x0011 => "IMA ADPCM (format tag 0x0011)",
        0x0031 => "GSM 6.10 (format tag 0x0031)",
        0x0050 => "MPEG (format tag 0x0050)",
        0x0055 => "MP3 (format tag 0x0055)",
        0x00FF => "AAC (format tag 0x00FF)",
        0xF1AC => "FLAC (format tag 0xF1AC)",
        _ => $"with format tag 0x{tag:X4}",
    };
}
