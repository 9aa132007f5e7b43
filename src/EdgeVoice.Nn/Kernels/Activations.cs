using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Element-wise activations and log-softmax, built on <see cref="TensorPrimitives"/> (which vectorises each
/// operation for the widest tier the CPU has). Input and output may be the same span; otherwise they must
/// not overlap. No approximation beyond TensorPrimitives' own Exp/Tanh/Sigmoid (a few ulp; docs/engine.md).
/// </summary>
public static class Activations
{
    private const int ChunkFloats = 256;

    /// <summary><c>y = max(x, 0)</c>.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Length(y.Length, x.Length, nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <summary><c>y = 1 / (1 + e^−x)</c>.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Length(y.Length, x.Length, nameof(y));
        if (x.IsEmpty)
        {
            return; // TensorPrimitives.Sigmoid rejects empty spans
        }

        TensorPrimitives.Sigmoid(x, y);
    }

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Length(y.Length, x.Length, nameof(y));
        TensorPrimitives.Tanh(x, y);
    }

    /// <summary>Swish (SiLU): <c>y = x · sigmoid(x)</c>. Works in place through a 1 KiB stack buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Swish(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Length(y.Length, x.Length, nameof(y));
        Span<float> gate = stackalloc float[ChunkFloats];
        for (int i = 0; i < x.Length; i += ChunkFloats)
        {
            int n = Math.Min(ChunkFloats, x.Length - i);
            ReadOnlySpan<float> xs = x.Slice(i, n);
            Span<float> g = gate[..n];
            TensorPrimitives.Sigmoid(xs, g);
            TensorPrimitives.Multiply(xs, g, y.Slice(i, n));
        }
    }

    /// <summary>
    /// <c>y = x − max − log Σ e^(x − max)</c>, the numerically stable log-softmax of one vector. Empty input
    /// gives empty output; works in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Length(y.Length, x.Length, nameof(y));
        if (x.IsEmpty)
        {
            return;
        }

        float max = TensorPrimitives.Max(x);
        Span<float> e = stackalloc float[ChunkFloats];
        float sum = 0f;
        for (int i = 0; i < x.Length; i += ChunkFloats)
        {
            int n = Math.Min(ChunkFloats, x.Length - i);
            Span<float> es = e[..n];
            TensorPrimitives.Subtract(x.Slice(i, n), max, es);
            TensorPrimitives.Exp(es, es);
            sum += TensorPrimitives.Sum(es);
        }

        TensorPrimitives.Subtract(x, max + MathF.Log(sum), y);
    }
}
