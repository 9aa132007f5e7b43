using System.Runtime.CompilerServices;
namespace EdgeVoice.Audio;

/// <summary>ITU-T G.711 expansion of µ-law and A-law bytes to 16-bit linear values, as 256-entry tables.</summary>
internal static class G711
{
    /// <summary>Linear value of every µ-law byte, in the 16-bit range (±32124 at most).</summary>
    public static readonly short[] MuLaw = BuildTable(ExpandMuLaw);

    /// <summary>Linear value of every A-law byte, in the 16-bit range (±32256 at most).</summary>
    public static readonly short[] ALaw = BuildTable(ExpandALaw);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static short[] BuildTable(Func<byte, int> expand)
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            table[code] = (short)expand((byte)code);
        }

        return table;
    }

    // µ-law stores the complement of sign(1) | exponent(3) | mantissa(4); the magnitude is biased by 0x84.
    private static int ExpandMuLaw(byte code)
    {
        int inverted = ~code & 0xFF;
        int exponent = (inverted >> 4) & 0x07;
        int magnitude = (((inverted & 0x0F) << 3) + 0x84) << exponent;
        return (inverted & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84;
    }

    // A-law stores sign(1) | exponent(3) | mantissa(4) with even bits inverted; set sign bit means positive.
    private static int ExpandALaw(byte code)
    {
        int value = code ^ 0x55;
        int exponent = (value >> 4) & 0x07;
        int magnitude = (value & 0x0F) << 4;
        magnitude = exponent == 0 ? magnitude + 8 : (magnitude + 0x108) << (exponent - 1);
        return (value & 0x80) != 0 ? magnitude : -magnitude;
    }
}
