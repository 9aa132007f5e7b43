using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Running mean of every frame seen so far (the global block of the encoder):
/// <c>mean[t] = (sum + x[0] + … + x[t]) / (count + t + 1)</c>, carrying the sum and count across chunks.
/// </summary>
public static class CumulativeMean
{
    /// <summary>Adds the frames of <paramref name="x"/> to the running sum and writes the mean after each frame.</summary>
    /// <param name="x">Time-major <c>[frames, dim]</c>.</param>
    /// <param name="runningSum">Sum of all earlier frames, <c>dim</c> values; updated.</param>
    /// <param name="count">Number of earlier frames (a float, as the model's state keeps it); updated.</param>
    /// <param name="means">Time-major <c>[frames, dim]</c>; may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(ReadOnlySpan<float> x, Span<float> runningSum, ref float count, Span<float> means)
    {
        int dim = runningSum.Length;
        Guard.Positive(dim, nameof(runningSum));
        if (x.Length % dim != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {dim} floats.", nameof(x));
        }

        Guard.Length(means.Length, x.Length, nameof(means));
        for (int offset = 0; offset < x.Length; offset += dim)
        {
            TensorPrimitives.Add(runningSum, x.Slice(offset, dim), runningSum);
            count += 1f;
            TensorPrimitives.Divide(runningSum, count, means.Slice(offset, dim));
        }
    }
}
