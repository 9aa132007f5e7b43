namespace EdgeVoice.Nn;

/// <summary>
/// A tensor of a model file: its PyTorch state_dict name, shape and values. Float32 tensors (dtype 0) are slices of
/// the loaded file. Int8 tensors (dtype 1, 2 of format version 2) keep their compressed form in <see cref="Matrix"/>,
/// which the layers run directly; <see cref="Data"/> then dequantizes them once, on first use, for code that wants floats.
/// </summary>
public sealed class ModelTensor
{
    private readonly int[] _shape;
    private ReadOnlyMemory<float>? _data;

    internal ModelTensor(string name, int[] shape, ReadOnlyMemory<float> data)
    {
        Name = name;
        _shape = shape;
        _data = data;
        Storage = TensorStorage.Float32;
        ByteCount = data.Length * sizeof(float);
    }

    internal ModelTensor(string name, int[] shape, IWeightMatrix matrix, long byteCount)
    {
        Name = name;
        _shape = shape;
        Matrix = matrix;
        Storage = matrix.Storage;
        ByteCount = byteCount;
    }

    /// <summary>A float32 tensor (for writing model files with <see cref="ModelFileWriter"/>).</summary>
    public static ModelTensor FromFloats(string name, IReadOnlyList<int> shape, ReadOnlyMemory<float> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        Guard.Length(data.Length, shape.Aggregate(1L, (a, b) => a * b), nameof(data));
        return new ModelTensor(name, [.. shape], data);
    }

    /// <summary>An int8 tensor of shape <paramref name="shape"/> stored as <paramref name="matrix"/> (<c>[shape[0], product of the rest]</c>).</summary>
    public static ModelTensor FromMatrix(string name, IReadOnlyList<int> shape, IWeightMatrix matrix)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(matrix);
        if (shape.Count == 0 || shape[0] != matrix.Rows || shape.Skip(1).Aggregate(1L, (a, b) => a * b) != matrix.Columns)
        {
            throw new ArgumentException($"Shape {FormatShape(shape)} does not match a {matrix.Rows}x{matrix.Columns} matrix.", nameof(shape));
        }

        return new ModelTensor(name, [.. shape], matrix, matrix.ByteCount);
    }

    /// <summary>The PyTorch state_dict name, e.g. <c>encoder.lstm.weight_ih_l0</c>.</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first (empty for a scalar).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>How the file stores the tensor.</summary>
    public TensorStorage Storage { get; }

    /// <summary>The compressed weights <c>[Shape[0], product of the other dims]</c> of an int8 tensor; null for float32.</summary>
    public IWeightMatrix? Matrix { get; }

    /// <summary>Bytes of the tensor's data in the file.</summary>
    public long ByteCount { get; }

    /// <summary>
    /// Row-major float values. For float32 tensors, 64-byte aligned and shared with the loaded file (no copy); for
    /// int8 tensors, the dequantized values <c>scale[r] · q[r, c]</c> (computed on first access, then kept).
    /// </summary>
    public ReadOnlyMemory<float> Data => _data ??= Matrix!.Dequantize();

    /// <summary>Number of elements.</summary>
    public int Length => _shape.Aggregate(1, (a, b) => a * b);

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>The shape written like PyTorch prints it, e.g. <c>[1280, 256]</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    internal static string FormatShape<T>(IEnumerable<T> shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
