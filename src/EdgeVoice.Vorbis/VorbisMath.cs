using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>The small integer and float helpers the Vorbis I specification defines (ilog, float32_unpack, lookup1_values).</summary>
internal static class VorbisMath
{
    /// <summary>Number of bits needed to hold <paramref name="value"/>; 0 for zero and negative values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ILog(long value)
    {
        int bits = 0;
        while (value > 0)
        {
            bits++;
            value >>= 1;
        }

        return bits;
    }

    /// <summary>Unpacks the setup header's 32-bit float: 21-bit mantissa, 10-bit biased exponent, sign bit.</summary>
    public static float UnpackFloat(uint packed)
    {
        double mantissa = packed & 0x1FFFFF;
        int exponent = (int)((packed & 0x7FE00000) >> 21);
        if ((packed & 0x80000000) != 0)
        {
            mantissa = -mantissa;
        }

        return (float)Math.ScaleB(mantissa, exponent - 788);
    }

    /// <summary>The largest r with r^<paramref name="dimensions"/> not above <paramref name="entries"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Lookup1Values(int entries, int dimensions)
    {
        long r = (long)Math.Floor(Math.Pow(entries, 1.0 / dimensions));
        while (r > 0 && PowerExceeds(r, dimensions, entries))
        {
            r--;
        }

        while (!PowerExceeds(r + 1, dimensions, entries))
        {
            r++;
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool PowerExceeds(long value, int exponent, long limit)
    {
        long result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result *= value;
            if (result > limit)
            {
                return true;
            }
        }

        return false;
    }
}
