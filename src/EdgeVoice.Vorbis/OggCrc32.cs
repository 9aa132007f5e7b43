using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// The CRC-32 of Ogg pages: polynomial 0x04C11DB7, initial value 0, no bit reflection, no final xor,
/// computed over the whole page with its checksum field taken as zero.
/// </summary>
internal static class OggCrc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Checksum of <paramref name="page"/>, reading bytes 22..25 (the checksum field) as zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint OfPage(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (int i = 0; i < page.Length; i++)
        {
            byte b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ Table[(crc >> 24) ^ b];
        }

        return crc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000u) != 0 ? (r << 1) ^ 0x04C11DB7u : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
