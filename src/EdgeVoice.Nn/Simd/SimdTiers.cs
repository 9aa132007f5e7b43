using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn.Simd;

/// <summary>Which <see cref="SimdTier"/> the kernels use on this machine.</summary>
internal static class SimdTiers
{
    /// <summary>The widest hardware-accelerated tier (Scalar when no vector width is accelerated).</summary>
    public static readonly SimdTier Best =
        Vector512.IsHardwareAccelerated ? SimdTier.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdTier.Vector256 :
        Vector128.IsHardwareAccelerated ? SimdTier.Vector128 :
        SimdTier.Scalar;
}
