using System.Numerics.Tensors;

namespace EdgeVoice.Nn;

/// <summary>
/// The element-wise half of one LSTM step, PyTorch gate order (i, f, g, o):
/// <c>c' = σ(f)·c + σ(i)·tanh(g)</c>, <c>h' = σ(o)·tanh(c')</c>. The caller has already put
/// <c>W_ih x + b_ih + b_hh + W_hh h</c> in <c>gates</c>, which this overwrites.
/// </summary>
public static class LstmCell
{
    /// <summary>Applies the gate activations and updates the cell and hidden state in place.</summary>
    /// <param name="gates">Pre-activations, <c>4·hidden</c> values in the order i, f, g, o; used as scratch.</param>
    /// <param name="cell">Cell state, <c>hidden</c> values, updated.</param>
    /// <param name="hidden">Hidden state, <c>hidden</c> values, overwritten.</param>
    public static void Update(Span<float> gates, Span<float> cell, Span<float> hidden)
    {
        int h = cell.Length;
        Guard.Length(gates.Length, 4L * h, nameof(gates));
        Guard.Length(hidden.Length, h, nameof(hidden));
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
}
