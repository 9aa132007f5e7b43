namespace EdgeVoice.Nn;

/// <summary>A float32 tensor of a model file: its PyTorch state_dict name, shape and row-major data.</summary>
public sealed class ModelTensor
{
    private readonly int[] _shape;

    internal ModelTensor(string name, int[] shape, ReadOnlyMemory<float> data)
    {
        Name = name;
        _shape = shape;
        Data = data;
    }

    /// <summary>The PyTorch state_dict name, e.g. <c>encoder.lstm.weight_ih_l0</c>.</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first (empty for a scalar).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Row-major values, 64-byte aligned, shared with the loaded file (no copy).</summary>
    public ReadOnlyMemory<float> Data { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>The shape written like PyTorch prints it, e.g. <c>[1280, 256]</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    internal static string FormatShape<T>(IEnumerable<T> shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
