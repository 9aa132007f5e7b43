using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn;

/// <summary>
/// The element-wise half of one LSTM step, PyTorch gate order (i, f, g, o):
/// <c>c' = σ(f)·c + σ(i)·tanh(g)</c>, <c>h' = σ(o)·tanh(c')</c>. The caller has already put
/// <c>W_ih x + b_ih + b_hh + W_hh h</c> in <c>gates</c>, which this overwrites.
/// </summary>
/// <remarks>
/// Where 512-bit vectors are accelerated, one fused pass over 16 units at a time (σ(x) = 1 / (1 + e^−x),
/// tanh(x) = sign(x)·(1 − e^−2|x|) / (1 + e^−2|x|)) replaces seven <see cref="TensorPrimitives"/> passes. Its
/// exponential is single precision throughout (<see cref="Exp"/>: range reduction by ln 2 in two parts and a
/// degree-7 polynomial, the classic Cephes expf scheme, within about 2 ulp), where TensorPrimitives and
/// Vector512.Exp widen to double: 24 cells of 256 units take about a third of the time. Both paths agree with
/// double-precision arithmetic within 2e-6 (LstmCellTests).
/// </remarks>
public static class LstmCell
{
    private const int Width = 16;

    /// <summary>Applies the gate activations and updates the cell and hidden state in place.</summary>
    /// <param name="gates">Pre-activations, <c>4·hidden</c> values in the order i, f, g, o; used as scratch.</param>
    /// <param name="cell">Cell state, <c>hidden</c> values, updated.</param>
    /// <param name="hidden">Hidden state, <c>hidden</c> values, overwritten.</param>
    public static void Update(Span<float> gates, Span<float> cell, Span<float> hidden)
    {
        int h = cell.Length;
        Guard.Length(gates.Length, 4L * h, nameof(gates));
        Guard.Length(hidden.Length, h, nameof(hidden));
        if (Vector512.IsHardwareAccelerated)
        {
            Fused512(gates, cell, hidden);
            return;
        }

        Separate(gates, cell, hidden);
    }

    /// <summary>The update as seven <see cref="TensorPrimitives"/> passes (any vector width).</summary>
    internal static void Separate(Span<float> gates, Span<float> cell, Span<float> hidden)
    {
        int h = cell.Length;
        Span<float> inputForget = gates[..(2 * h)];
        Span<float> input = gates[..h];
        Span<float> forget = gates.Slice(h, h);
        Span<float> candidate = gates.Slice(2 * h, h);
        Span<float> output = gates.Slice(3 * h, h);

        TensorPrimitives.Sigmoid(inputForget, inputForget);
        TensorPrimitives.Tanh(candidate, candidate);
        TensorPrimitives.Sigmoid(output, output);
        TensorPrimitives.Multiply(input, candidate, input);
        TensorPrimitives.FusedMultiplyAdd(forget, cell, input, cell);
        TensorPrimitives.Tanh(cell, candidate);
        TensorPrimitives.Multiply(output, candidate, hidden);
    }

    /// <summary>The fused 512-bit pass; units past the last whole vector take the same formulas in scalar code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Fused512(Span<float> gates, Span<float> cell, Span<float> hidden)
    {
        int h = cell.Length;
        ref float g = ref MemoryMarshal.GetReference(gates);
        ref float c = ref MemoryMarshal.GetReference(cell);
        ref float y = ref MemoryMarshal.GetReference(hidden);
        int j = 0;
        for (; j + Width <= h; j += Width)
        {
            Vector512<float> i = Sigmoid(Vector512.LoadUnsafe(ref g, (nuint)j));
            Vector512<float> f = Sigmoid(Vector512.LoadUnsafe(ref g, (nuint)(h + j)));
            Vector512<float> cand = Tanh(Vector512.LoadUnsafe(ref g, (nuint)((2 * h) + j)));
            Vector512<float> o = Sigmoid(Vector512.LoadUnsafe(ref g, (nuint)((3 * h) + j)));
            Vector512<float> next = Vector512.FusedMultiplyAdd(f, Vector512.LoadUnsafe(ref c, (nuint)j), i * cand);
            next.StoreUnsafe(ref c, (nuint)j);
            (o * Tanh(next)).StoreUnsafe(ref y, (nuint)j);
        }

        for (; j < h; j++)
        {
            float i = Sigmoid(Unsafe.Add(ref g, j)), f = Sigmoid(Unsafe.Add(ref g, h + j));
            float cand = Tanh(Unsafe.Add(ref g, (2 * h) + j)), o = Sigmoid(Unsafe.Add(ref g, (3 * h) + j));
            float next = MathF.FusedMultiplyAdd(f, Unsafe.Add(ref c, j), i * cand);
            Unsafe.Add(ref c, j) = next;
            Unsafe.Add(ref y, j) = o * Tanh(next);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>
    /// e^x in single precision for 16 lanes: x clamped to [−87.3, 88.3] (results stay normal), x = n·ln 2 + r with
    /// |r| ≤ ln 2 / 2 (ln 2 split in two so n·ln 2 is exact), e^r ≈ 1 + r + r²·P(r), then 2^n put into the exponent bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        Vector512<float> n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        Vector512<float> p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        Vector512<int> scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> e = Exp(Vector512.Create(-2f) * Vector512.Abs(x));
        Vector512<float> t = (Vector512<float>.One - e) / (Vector512<float>.One + e);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -t, t);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Tanh(float x)
    {
        float e = MathF.Exp(-2f * MathF.Abs(x));
        float t = (1f - e) / (1f + e);
        return x < 0 ? -t : t;
    }
}
