using System.Buffers;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Nn;

/// <summary>
/// Scratch for the quantized activations of one call: <c>frames</c> rows of <c>stride</c> int8 values (zero
/// padded past the row's width) and one scale per row. Small calls use the caller's stack buffers; larger ones
/// rent from the shared pools and give them back on <see cref="Dispose"/>, so steady state allocates nothing.
/// </summary>
internal ref struct QuantizedActivations
{
    /// <summary>Bytes of int8 activations kept on the stack.</summary>
    public const int StackBytes = 16384;

    /// <summary>Scales kept on the stack.</summary>
    public const int StackScales = 64;

    private sbyte[]? _rentedValues;
    private float[]? _rentedScales;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public QuantizedActivations(ReadOnlySpan<float> input, int frames, int width, int stride, Span<sbyte> stackValues, Span<float> stackScales)
    {
        int n = frames * stride;
        Values = n <= stackValues.Length ? stackValues[..n] : (_rentedValues = ArrayPool<sbyte>.Shared.Rent(n)).AsSpan(0, n);
        Scales = frames <= stackScales.Length ? stackScales[..frames] : (_rentedScales = ArrayPool<float>.Shared.Rent(frames)).AsSpan(0, frames);
        for (int t = 0; t < frames; t++)
        {
            Span<sbyte> row = Values.Slice(t * stride, stride);
            float s = ActivationQuantizer.Quantize(input.Slice(t * width, width), row[..width]);
            if (float.IsNaN(s))
            {
                throw new ArgumentException($"Frame {t} of the input holds a value that is not finite.", nameof(input));
            }

            row[width..].Clear();
            Scales[t] = s;
        }
    }

    public Span<sbyte> Values { get; }

    public Span<float> Scales { get; }

    public void Dispose()
    {
        if (_rentedValues is not null)
        {
            ArrayPool<sbyte>.Shared.Return(_rentedValues);
        }

        if (_rentedScales is not null)
        {
            ArrayPool<float>.Shared.Return(_rentedScales);
        }
    }
}
