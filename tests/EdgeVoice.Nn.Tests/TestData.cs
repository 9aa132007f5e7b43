using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn.Tests;

/// <summary>Seeded inputs, the tiers to test, and tolerance checks.</summary>
internal static class TestData
{
    /// <summary>float32 unit roundoff.</summary>
    public const double Epsilon = 1.0 / (1 << 24);

    /// <summary>Every tier. Vector512 runs in the runtime's software fallback on CPUs without AVX-512, which
    /// still checks its indexing and tails exactly as written.</summary>
    public static TheoryData<SimdTier> Tiers => [SimdTier.Scalar, SimdTier.Vector128, SimdTier.Vector256, SimdTier.Vector512];

    public static bool IsAccelerated(SimdTier tier) => tier switch
    {
        SimdTier.Vector512 => Vector512.IsHardwareAccelerated,
        SimdTier.Vector256 => Vector256.IsHardwareAccelerated,
        SimdTier.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    public static float[] Uniform(Random random, int length, float scale = 1f)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = ((random.NextSingle() * 2f) - 1f) * scale;
        }

        return values;
    }

    /// <summary>
    /// |actual − expected| ≤ (terms + 2) · ε · scale: the worst-case bound of a float sum of <c>terms</c>
    /// products, relative to the sum of their magnitudes.
    /// </summary>
    public static void AssertSumClose(double[] expected, double[] scale, ReadOnlySpan<float> actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = (terms + 2) * Epsilon * scale[i];
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= bound, $"{what}: element {i}: got {actual[i]:R}, expected {expected[i]:R} (error {error:E2} > bound {bound:E2})");
        }
    }

    /// <summary>|actual − expected| ≤ relative · max(|expected|, floor).</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double relative, double floor, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = relative * Math.Max(Math.Abs(expected[i]), floor);
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= bound, $"{what}: element {i}: got {actual[i]:R}, expected {expected[i]:R} (error {error:E2} > bound {bound:E2})");
        }
    }
}
