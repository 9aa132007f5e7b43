using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeVoice.Nn;

/// <summary>
/// Instruction paths of the int8 kernels, narrowest first. Every path computes the same int32 sums exactly;
/// <see cref="Int8Paths.Best"/> is the fastest one this CPU runs in hardware.
/// </summary>
public enum Int8Path
{
    /// <summary>Plain scalar integer code.</summary>
    Scalar = 0,

    /// <summary>Portable 128-bit vectors (<c>Vector128</c>: SSE2, AdvSimd, or the runtime's software fallback): widen to int16, multiply, widen to int32.</summary>
    Vector128 = 1,

    /// <summary>AVX2: <c>vpmaddubsw</c> on |w| and sign-transferred activations, then <c>vpmaddwd</c> by ones into int32.</summary>
    Avx2 = 2,

    /// <summary>AVX-VNNI: <c>vpdpbusd</c> (the non-saturating u8×s8 dot into int32) on |w| and sign-transferred activations.
    /// .NET 10 exposes VNNI to C# only as the 256-bit <c>AvxVnni</c> class (no 512-bit Avx512Vnni class), so this is the VNNI path.</summary>
    AvxVnni = 3,
}

/// <summary>Which <see cref="Int8Path"/> the int8 kernels use on this machine.</summary>
public static class Int8Paths
{
    /// <summary>The fastest path this CPU runs in hardware (Scalar when no vector width is accelerated).</summary>
    public static readonly Int8Path Best =
        IsSupported(Int8Path.AvxVnni) ? Int8Path.AvxVnni :
        IsSupported(Int8Path.Avx2) ? Int8Path.Avx2 :
        Vector128.IsHardwareAccelerated ? Int8Path.Vector128 :
        Int8Path.Scalar;

    /// <summary>Whether <paramref name="path"/> can run here (Vector128 always can, in software if need be).</summary>
    public static bool IsSupported(Int8Path path) => path switch
    {
        Int8Path.Scalar or Int8Path.Vector128 => true,
        Int8Path.Avx2 => Avx2.IsSupported,
        Int8Path.AvxVnni => AvxVnni.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    internal static void Check(Int8Path path, string parameterName)
    {
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"The int8 path {path} is not supported by this CPU or runtime ({parameterName}).");
        }
    }
}
