using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Layer normalisation over the last dimension, as PyTorch's <c>nn.LayerNorm</c>:
/// <c>y = (x − mean) / sqrt(var + eps) · γ + β</c> with the biased variance. Two passes (mean, then the
/// centred sum of squares) through <see cref="TensorPrimitives"/>. Input and output may be the same span.
/// </summary>
public static class LayerNormalization
{
    /// <summary>PyTorch's default epsilon.</summary>
    public const float DefaultEpsilon = 1e-5f;

    /// <summary>Normalises each of the <c>x.Length / γ.Length</c> time-major frames of <paramref name="x"/>.</summary>
    /// <param name="x">Time-major <c>[frames, dim]</c>.</param>
    /// <param name="gamma">Scale, <c>dim</c> values.</param>
    /// <param name="beta">Shift, <c>dim</c> values.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="y">Output, same shape as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y)
    {
        int dim = gamma.Length;
        Guard.Positive(dim, nameof(gamma));
        Guard.Length(beta.Length, dim, nameof(beta));
        if (x.Length % dim != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {dim} floats.", nameof(x));
        }

        Guard.Length(y.Length, x.Length, nameof(y));
        for (int offset = 0; offset < x.Length; offset += dim)
        {
            NormalizeFrame(x.Slice(offset, dim), gamma, beta, epsilon, y.Slice(offset, dim));
        }
    }

    private static void NormalizeFrame(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y)
    {
        float mean = TensorPrimitives.Sum(x) / x.Length;
        TensorPrimitives.Subtract(x, mean, y);
        float variance = TensorPrimitives.SumOfSquares(y) / y.Length;
        float scale = 1f / MathF.Sqrt(variance + epsilon);
        TensorPrimitives.Multiply(y, scale, y);
        TensorPrimitives.FusedMultiplyAdd(y, gamma, beta, y);
    }
}
