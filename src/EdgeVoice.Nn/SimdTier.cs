namespace EdgeVoice.Nn;

/// <summary>
/// Instruction-set tiers of the hand-written kernels, narrowest first. <see cref="Best"/> is the widest
/// tier the CPU accelerates; the kernels use it unless a test asks for another one.
/// </summary>
public enum SimdTier
{
    /// <summary>Plain scalar code (also the tail of every vector tier).</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE/AdvSimd).</summary>
    Vector128 = 1,

    /// <summary>256-bit vectors (AVX2 + FMA).</summary>
    Vector256 = 2,

    /// <summary>512-bit vectors (AVX-512F).</summary>
    Vector512 = 3,
}
