namespace EdgeVoice.Nn;

/// <summary>Argument checks of the public entry points; each throws the standard argument exception.</summary>
internal static class Guard
{
    public static void Positive(int value, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, parameterName);
    }

    public static void NotNegative(int value, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, parameterName);
    }

    /// <summary>The span must hold exactly <paramref name="expected"/> elements.</summary>
    public static void Length(int actual, long expected, string parameterName)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} elements, got {actual}.", parameterName);
        }
    }

    /// <summary>The span must hold at least <paramref name="expected"/> elements.</summary>
    public static void AtLeast(int actual, long expected, string parameterName)
    {
        if (actual < expected)
        {
            throw new ArgumentException(
                $"Expected at least {expected} elements, got {actual}.", parameterName);
        }
    }

    /// <summary>A bias is either empty (no bias) or one value per output.</summary>
    public static void OptionalBias(int actual, int outputs, string parameterName)
    {
        if (actual != 0 && actual != outputs)
        {
            throw new ArgumentException(
                $"The bias must be empty or hold {outputs} elements, got {actual}.", parameterName);
        }
    }

    public static void Tier(SimdTier tier, string parameterName)
    {
        if (tier is < SimdTier.Scalar or > SimdTier.Vector512)
        {
            throw new ArgumentOutOfRangeException(parameterName, tier, "Unknown SIMD tier.");
        }
    }
}
