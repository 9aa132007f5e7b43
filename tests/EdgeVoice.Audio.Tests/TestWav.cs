using System.Buffers.Binary;
using System.Text;

namespace EdgeVoice.Audio.Tests;

/// <summary>
/// Builds WAV files byte by byte for tests, including the malformed ones the product writer refuses to
/// produce: any format tag, any header field value, extra chunks anywhere, a lying data size.
/// </summary>
internal sealed class TestWav
{
    public ushort FormatTag { get; init; } = 1;

    public int Channels { get; init; } = 1;

    public uint SampleRate { get; init; } = 16000;

    public int BitsPerSample { get; init; } = 16;

    /// <summary>Block align to declare; null means the correct value.</summary>
    public int? BlockAlign { get; init; }

    /// <summary>Write a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format is <see cref="FormatTag"/>.</summary>
    public bool Extensible { get; init; }

    /// <summary>wValidBitsPerSample of an extensible header; null means <see cref="BitsPerSample"/>.</summary>
    public int? ValidBits { get; init; }

    /// <summary>The encoded data chunk body.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>Data chunk size to declare; null means the real size.</summary>
    public uint? DeclaredDataSize { get; init; }

    public IReadOnlyList<(string Id, byte[] Body)> ChunksBeforeFormat { get; init; } = [];

    public IReadOnlyList<(string Id, byte[] Body)> ChunksBeforeData { get; init; } = [];

    public IReadOnlyList<(string Id, byte[] Body)> ChunksAfterData { get; init; } = [];

    public byte[] ToBytes()
    {
        using var body = new MemoryStream();
        body.Write("WAVE"u8);
        foreach (var (id, chunk) in ChunksBeforeFormat)
        {
            WriteChunk(body, id, chunk);
        }

        WriteChunk(body, "fmt ", FormatChunk());
        foreach (var (id, chunk) in ChunksBeforeData)
        {
            WriteChunk(body, id, chunk);
        }

        WriteChunk(body, "data", Data, DeclaredDataSize);
        foreach (var (id, chunk) in ChunksAfterData)
        {
            WriteChunk(body, id, chunk);
        }

        using var file = new MemoryStream();
        WriteChunk(file, "RIFF", body.ToArray());
        return file.ToArray();
    }

    public static void WriteChunk(Stream stream, string id, byte[] body, uint? declaredSize = null)
    {
        stream.Write(Encoding.ASCII.GetBytes(id));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize ?? (uint)body.Length);
        stream.Write(size);
        stream.Write(body);
        if (body.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    private byte[] FormatChunk()
    {
        var chunk = new byte[Extensible ? 40 : 16];
        int blockAlign = BlockAlign ?? Channels * BitsPerSample / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(chunk, Extensible ? (ushort)0xFFFE : FormatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(2), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(8), (uint)(SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(14), (ushort)BitsPerSample);
        if (Extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(18), (ushort)(ValidBits ?? BitsPerSample));
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(20), Channels == 2 ? 3u : 0u);
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(24), FormatTag);
            byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(chunk, 26);
        }

        return chunk;
    }
}
