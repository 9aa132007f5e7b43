using System.Buffers.Binary;

namespace EdgeVoice.Audio;

/// <summary>
/// Writes canonical WAV files: 16-bit PCM (44-byte header) or 32-bit IEEE float (fmt with cbSize 0 plus a
/// fact chunk, as the WAV specification asks for non-PCM data). Samples are interleaved when
/// <c>channels</c> &gt; 1.
/// </summary>
/// <remarks>
/// 16-bit output clamps to [-1, 1] and rounds to the nearest step of 1/32767 (so ±1 map to ±32767);
/// float output stores the samples unchanged. NaN or infinite samples are rejected.
/// </remarks>
public static class WavWriter
{
    private const ushort TagPcm = 1;
    private const ushort TagFloat = 3;

    /// <summary>Writes a mono clip as 16-bit PCM to <paramref name="path"/>.</summary>
    public static void WritePcm16(string path, AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var stream = File.Create(path);
        WritePcm16(stream, clip.Samples, clip.SampleRate);
    }

    /// <summary>Writes a mono clip as 32-bit float to <paramref name="path"/>.</summary>
    public static void WriteFloat32(string path, AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var stream = File.Create(path);
        WriteFloat32(stream, clip.Samples, clip.SampleRate);
    }

    /// <summary>Writes interleaved samples as 16-bit PCM.</summary>
    public static void WritePcm16(Stream stream, ReadOnlySpan<float> samples, int sampleRate, int channels = 1)
    {
        long dataSize = CheckArguments(stream, samples, sampleRate, channels, bytesPerSample: 2);
        Span<byte> header = stackalloc byte[44];
        WriteRiffAndFormat(header, 36 + dataSize, TagPcm, channels, sampleRate, bitsPerSample: 16, formatSize: 16);
        WriteChunkHeader(header[36..], "data"u8, (uint)dataSize);
        stream.Write(header);

        Span<byte> block = stackalloc byte[4096];
        int filled = 0;
        foreach (float sample in samples)
        {
            short value = (short)Math.Round(Math.Clamp(sample, -1f, 1f) * 32767f);
            BinaryPrimitives.WriteInt16LittleEndian(block[filled..], value);
            filled += 2;
            if (filled == block.Length)
            {
                stream.Write(block);
                filled = 0;
            }
        }

        stream.Write(block[..filled]);
    }

    /// <summary>Writes interleaved samples as 32-bit IEEE float.</summary>
    public static void WriteFloat32(Stream stream, ReadOnlySpan<float> samples, int sampleRate, int channels = 1)
    {
        long dataSize = CheckArguments(stream, samples, sampleRate, channels, bytesPerSample: 4);
        Span<byte> header = stackalloc byte[58];
        WriteRiffAndFormat(header, 50 + dataSize, TagFloat, channels, sampleRate, bitsPerSample: 32, formatSize: 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0);
        WriteChunkHeader(header[38..], "fact"u8, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[46..], (uint)(samples.Length / channels));
        WriteChunkHeader(header[50..], "data"u8, (uint)dataSize);
        stream.Write(header);

        Span<byte> block = stackalloc byte[4096];
        int filled = 0;
        foreach (float sample in samples)
        {
            BinaryPrimitives.WriteSingleLittleEndian(block[filled..], sample);
            filled += 4;
            if (filled == block.Length)
            {
                stream.Write(block);
                filled = 0;
            }
        }

        stream.Write(block[..filled]);
    }

    private static long CheckArguments(Stream stream, ReadOnlySpan<float> samples, int sampleRate, int channels, int bytesPerSample)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, AudioLimits.MaxChannels);
        if (samples.Length % channels != 0)
        {
            throw new ArgumentException($"{samples.Length} interleaved samples are not a whole number of {channels}-channel frames.", nameof(samples));
        }

        foreach (float sample in samples)
        {
            if (!float.IsFinite(sample))
            {
                throw new ArgumentException("Samples must be finite; found NaN or infinity.", nameof(samples));
            }
        }

        long dataSize = (long)samples.Length * bytesPerSample;
        if (dataSize > uint.MaxValue - 64)
        {
            throw new ArgumentException("Too many samples for one WAV file (4 GB limit).", nameof(samples));
        }

        return dataSize;
    }

    private static void WriteRiffAndFormat(Span<byte> header, long riffSize, ushort tag, int channels, int sampleRate, int bitsPerSample, int formatSize)
    {
        int blockAlign = channels * bitsPerSample / 8;
        WriteChunkHeader(header, "RIFF"u8, (uint)riffSize);
        "WAVE"u8.CopyTo(header[8..]);
        WriteChunkHeader(header[12..], "fmt "u8, (uint)formatSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)((long)sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)bitsPerSample);
    }

    private static void WriteChunkHeader(Span<byte> destination, ReadOnlySpan<byte> id, uint size)
    {
        id.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], size);
    }
}
