using System.Buffers.Binary;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>Reads and writes raw Ogg pages, to build streams by hand and to corrupt them with a valid CRC.</summary>
internal static class OggTestPages
{
    /// <summary>Offset and length of every page of a well-formed stream.</summary>
    public static List<(int Offset, int Length)> Pages(byte[] data)
    {
        var pages = new List<(int, int)>();
        int pos = 0;
        while (pos + 27 <= data.Length && pos + 27 + data[pos + 26] <= data.Length)
        {
            int segments = data[pos + 26];
            int length = 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                length += data[pos + 27 + i];
            }

            pages.Add((pos, length));
            pos += length;
        }

        return pages;
    }

    /// <summary>The packets of an Ogg file, as the decoder's page reader returns them.</summary>
    public static List<byte[]> Packets(string path) =>
        OggPacketReader.ReadPackets(File.ReadAllBytes(path), path).Select(p => p.Data).ToList();

    /// <summary>Recomputes the CRC of the page at <paramref name="offset"/>.</summary>
    public static void FixCrc(byte[] data, int offset, int length)
    {
        uint crc = OggCrc32.OfPage(data.AsSpan(offset, length));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(offset + 22), crc);
    }

    /// <summary>Recomputes the CRC of every page of <paramref name="layout"/> (by default, the pages found in the data).</summary>
    public static void FixAllCrcs(byte[] data, List<(int Offset, int Length)>? layout = null)
    {
        foreach ((int offset, int length) in layout ?? Pages(data))
        {
            if (offset + length <= data.Length)
            {
                FixCrc(data, offset, length);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="packets"/> as one logical stream, at most <paramref name="segmentsPerPage"/>
    /// lacing values per page (so long packets continue across pages); the last page is marked end of stream.
    /// </summary>
    public static byte[] Build(IReadOnlyList<byte[]> packets, int segmentsPerPage = 255, long granule = 0, uint serial = 0x1234)
    {
        var lacing = new List<(byte Value, int Packet, int Offset)>();
        for (int p = 0; p < packets.Count; p++)
        {
            int remaining = packets[p].Length;
            int offset = 0;
            while (true)
            {
                int take = Math.Min(255, remaining);
                lacing.Add(((byte)take, p, offset));
                offset += take;
                remaining -= take;
                if (take < 255)
                {
                    break;
                }
            }
        }

        using var output = new MemoryStream();
        uint sequence = 0;
        bool continued = false;
        for (int start = 0; start < lacing.Count; start += segmentsPerPage)
        {
            int count = Math.Min(segmentsPerPage, lacing.Count - start);
            bool last = start + count == lacing.Count;
            var header = new byte[27 + count];
            "OggS"u8.CopyTo(header);
            header[5] = (byte)((continued ? 1 : 0) | (start == 0 ? 2 : 0) | (last ? 4 : 0));
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(6), granule);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), serial);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), sequence++);
            header[26] = (byte)count;
            using var body = new MemoryStream();
            for (int i = 0; i < count; i++)
            {
                (byte value, int packet, int offset) = lacing[start + i];
                header[27 + i] = value;
                body.Write(packets[packet], offset, value);
            }

            continued = lacing[start + count - 1].Value == 255;
            byte[] page = [.. header, .. body.ToArray()];
            FixCrc(page, 0, page.Length);
            output.Write(page);
        }

        return output.ToArray();
    }
}
