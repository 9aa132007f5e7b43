namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Deliberately naive int8 references: quantization written out element by element, products summed in a
/// long, and the same float epilogue as the kernels (<c>sum · (wScale · xScale) + bias</c>).
/// </summary>
internal static class Int8Oracle
{
    public static sbyte[] RandomInt8(Random random, int length, double zeroShare = 0)
    {
        var values = new sbyte[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() < zeroShare ? (sbyte)0 : (sbyte)random.Next(-127, 128);
        }

        return values;
    }

    public static long Dot(sbyte[] a, int aOffset, sbyte[] b, int bOffset, int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += a[aOffset + i] * (long)b[bOffset + i];
        }

        return sum;
    }

    /// <summary>Symmetric quantization of one row, written independently of <see cref="ActivationQuantizer"/>.</summary>
    public static (sbyte[] Q, float Scale) Quantize(ReadOnlySpan<float> x)
    {
        float max = 0f;
        foreach (float v in x)
        {
            if (Math.Abs(v) > max)
            {
                max = Math.Abs(v);
            }
        }

        var q = new sbyte[x.Length];
        if (max == 0f)
        {
            return (q, 0f);
        }

        float inverse = 127f / max;
        for (int i = 0; i < x.Length; i++)
        {
            float r = MathF.Round(x[i] * inverse, MidpointRounding.ToEven);
            q[i] = (sbyte)(r > 127f ? 127 : r < -127f ? -127 : (int)r);
        }

        return (q, max / 127f);
    }

    /// <summary><c>output[t, r] = (Σ_c q[r, c]·qx[t, c]) · (scale[r] · sx[t]) + bias[r]</c>.</summary>
    public static float[] Multiply(sbyte[] weights, float[] scales, float[] input, float[]? bias, int frames, int rows, int cols)
    {
        var output = new float[frames * rows];
        for (int t = 0; t < frames; t++)
        {
            (sbyte[] qx, float sx) = Quantize(input.AsSpan(t * cols, cols));
            for (int r = 0; r < rows; r++)
            {
                long sum = Dot(weights, r * cols, qx, 0, cols);
                output[(t * rows) + r] = (checked((int)sum) * (scales[r] * sx)) + (bias is null ? 0f : bias[r]);
            }
        }

        return output;
    }

    /// <summary>Dense int8 values with whole 1×16 blocks set to zero with probability <paramref name="blockZeroShare"/>.</summary>
    public static sbyte[] BlockSparse(Random random, int rows, int cols, double blockZeroShare)
    {
        sbyte[] values = RandomInt8(random, rows * cols, 0.05);
        for (int r = 0; r < rows; r++)
        {
            for (int c0 = 0; c0 < cols; c0 += 16)
            {
                if (random.NextDouble() < blockZeroShare)
                {
                    Array.Clear(values, (r * cols) + c0, Math.Min(16, cols - c0));
                }
            }
        }

        return values;
    }

    public static float[] PositiveScales(Random random, int rows)
    {
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            scales[r] = 1e-3f + (random.NextSingle() * 0.05f);
        }

        return scales;
    }
}
