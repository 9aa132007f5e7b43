namespace EdgeVoice.Nn;

/// <summary>
/// Symmetric int8 quantization of one activation row: <c>s = max|x| / 127</c>, <c>q = clamp(round(x / s), -127, 127)</c>
/// (rounding half to even, computed as <c>x · (127 / max|x|)</c>). A row of zeros gets scale 0 and zeros.
/// </summary>
public static class ActivationQuantizer
{
    /// <summary>Quantizes <paramref name="x"/> into <paramref name="q"/> (same length) and returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> x, Span<sbyte> q)
    {
        Guard.Length(q.Length, x.Length, nameof(q));
        float max = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(x[i]));
        }

        if (max == 0f || !float.IsFinite(max))
        {
            q.Clear();
            return max == 0f ? 0f : float.NaN;
        }

        float inverse = 127f / max;
        for (int i = 0; i < x.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp((int)MathF.Round(x[i] * inverse), -127, 127);
        }

        return max / 127f;
    }

    /// <summary>Per-row symmetric quantization of a weight matrix: <c>scale[r] = max|W[r]| / 127</c> (1 for an all-zero row).</summary>
    public static void QuantizeRows(ReadOnlySpan<float> weights, int rows, int columns, Span<sbyte> values, Span<float> scales)
    {
        Guard.Length(weights.Length, (long)rows * columns, nameof(weights));
        Guard.Length(values.Length, (long)rows * columns, nameof(values));
        Guard.Length(scales.Length, rows, nameof(scales));
        for (int r = 0; r < rows; r++)
        {
            float s = Quantize(weights.Slice(r * columns, columns), values.Slice(r * columns, columns));
            if (float.IsNaN(s))
            {
                throw new ArgumentException($"Row {r} of the weights holds a value that is not finite.", nameof(weights));
            }

            scales[r] = s == 0f ? 1f : s;
        }
    }
}
