using System.Numerics.Tensors;

namespace EdgeVoice.Nn;

/// <summary>Index of the largest element (greedy search over joiner logits).</summary>
public static class ArgMax
{
    /// <summary>
    /// The index of the largest value; the first one on ties; −1 for an empty span. A NaN counts as the
    /// largest value (TensorPrimitives' rule), so a corrupt logit surfaces instead of being skipped.
    /// </summary>
    public static int Find(ReadOnlySpan<float> values) => TensorPrimitives.IndexOfMax(values);
}
