using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Vorbis;

/// <summary>
/// Splits an Ogg byte stream into the packets of its first logical stream: checks each page's capture
/// pattern, version and CRC, follows lacing and packets continued across pages, and carries the granule
/// position and end-of-stream flag of each page to the last packet completed on it.
/// Pages of other logical streams (multiplexed) are skipped; decoding stops at the first stream's
/// end-of-stream page, so chained streams after it are ignored.
/// </summary>
internal static class OggPacketReader
{
    private const int HeaderSize = 27;
    private const byte ContinuedFlag = 0x01;
    private const byte BeginFlag = 0x02;
    private const byte EndFlag = 0x04;

    /// <summary>Reads every packet of the first logical stream in <paramref name="data"/>.</summary>
    /// <exception cref="VorbisFormatException">The data is not Ogg, a page is corrupt, or the stream is truncated.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<OggPacket> ReadPackets(byte[] data, string source)
    {
        var packets = new List<OggPacket>();
        var pending = new MemoryStream();
        bool havePending = false;
        bool haveStream = false;
        uint serial = 0;
        uint expectedSequence = 0;
        int pos = 0;

        if (data.Length == 0)
        {
            throw new VorbisFormatException(source, "the stream is empty");
        }

        while (pos < data.Length)
        {
            int patternBytes = Math.Min(4, data.Length - pos);
            if (!data.AsSpan(pos, patternBytes).SequenceEqual("OggS"u8[..patternBytes]))
            {
                string what = pos == 0 ? "not an Ogg stream (bad capture pattern at offset 0)" : $"bad Ogg capture pattern at offset {pos}";
                throw new VorbisFormatException(source, what);
            }

            if (data.Length - pos < HeaderSize)
            {
                throw Truncated(source, pos, "the page header");
            }

            if (data[pos + 4] != 0)
            {
                throw new VorbisFormatException(source, $"Ogg page at offset {pos} has unknown version {data[pos + 4]}");
            }

            byte flags = data[pos + 5];
            long granule = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos + 6));
            uint pageSerial = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 14));
            uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 18));
            uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos + 22));
            int segmentCount = data[pos + 26];
            if (data.Length - pos - HeaderSize < segmentCount)
            {
                throw Truncated(source, pos, "the segment table");
            }

            int bodySize = 0;
            for (int i = 0; i < segmentCount; i++)
            {
                bodySize += data[pos + HeaderSize + i];
            }

            int pageSize = HeaderSize + segmentCount + bodySize;
            if (data.Length - pos < pageSize)
            {
                throw Truncated(source, pos, "the page body");
            }

            uint actualCrc = OggCrc32.OfPage(data.AsSpan(pos, pageSize));
            if (actualCrc != storedCrc)
            {
                throw new VorbisFormatException(
                    source, $"CRC mismatch in the Ogg page at offset {pos} (stored 0x{storedCrc:X8}, computed 0x{actualCrc:X8}); the file is corrupt");
            }

            if (!haveStream)
            {
                if ((flags & BeginFlag) == 0)
                {
                    throw new VorbisFormatException(source, "the first Ogg page does not begin a logical stream");
                }

                haveStream = true;
                serial = pageSerial;
                expectedSequence = sequence;
            }

            if (pageSerial != serial)
            {
                pos += pageSize;
                continue;
            }

            if (sequence != expectedSequence)
            {
                throw new VorbisFormatException(
                    source, $"Ogg page at offset {pos} has sequence number {sequence}, expected {expectedSequence}: a page is missing");
            }

            expectedSequence = sequence + 1;
            bool continued = (flags & ContinuedFlag) != 0;
            if (continued != havePending)
            {
                string problem = continued
                    ? $"Ogg page at offset {pos} continues a packet, but no packet was started"
                    : $"Ogg page at offset {pos} starts a new packet while the previous one is unfinished";
                throw new VorbisFormatException(source, problem);
            }

            int bodyPos = pos + HeaderSize + segmentCount;
            int lastCompleted = -1;
            for (int i = 0; i < segmentCount; i++)
            {
                int lacing = data[pos + HeaderSize + i];
                pending.Write(data, bodyPos, lacing);
                bodyPos += lacing;
                havePending = true;
                if (lacing < 255)
                {
                    packets.Add(new OggPacket(pending.ToArray(), -1, false));
                    pending.SetLength(0);
                    havePending = false;
                    lastCompleted = packets.Count - 1;
                }
            }

            bool endOfStream = (flags & EndFlag) != 0;
            if (lastCompleted >= 0)
            {
                packets[lastCompleted] = packets[lastCompleted] with { GranulePosition = granule, IsEndOfStream = endOfStream };
            }

            pos += pageSize;
            if (endOfStream)
            {
                break;
            }
        }

        return packets;
    }

    private static VorbisFormatException Truncated(string source, int pos, string part) =>
        new(source, $"truncated stream: the Ogg page at offset {pos} ends inside {part}");
}
