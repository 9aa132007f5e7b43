namespace EdgeVoice.Features;

/// <summary>
/// A dense (frames x dimension) matrix of float features, stored row-major in one array:
/// value (t, d) is at <c>Data[t * Dimension + d]</c>. Shape convention (T, C) as in the models.
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Creates a zero-filled matrix.</summary>
    public FeatureMatrix(int numFrames, int dimension)
        : this(new float[checked(CheckShape(numFrames, dimension) * dimension)], numFrames, dimension)
    {
    }

    /// <summary>Wraps existing row-major storage (not copied).</summary>
    /// <exception cref="ArgumentException">The array length is not numFrames * dimension.</exception>
    public FeatureMatrix(float[] data, int numFrames, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(numFrames, dimension);
        if (data.Length != (long)numFrames * dimension)
        {
            throw new ArgumentException(
                $"The storage holds {data.Length} values but the shape ({numFrames}, {dimension}) needs {(long)numFrames * dimension}.",
                nameof(data));
        }

        Data = data;
        NumFrames = numFrames;
        Dimension = dimension;
    }

    /// <summary>Number of rows (frames).</summary>
    public int NumFrames { get; }

    /// <summary>Number of columns (values per frame).</summary>
    public int Dimension { get; }

    /// <summary>Row-major storage.</summary>
    public float[] Data { get; }

    /// <summary>Value of frame <paramref name="frame"/>, column <paramref name="column"/>.</summary>
    public float this[int frame, int column]
    {
        get => Data[Index(frame, column)];
        set => Data[Index(frame, column)] = value;
    }

    /// <summary>One frame as a span over the storage.</summary>
    public Span<float> Row(int frame)
    {
        if ((uint)frame >= (uint)NumFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"The matrix has {NumFrames} frames.");
        }

        return Data.AsSpan(frame * Dimension, Dimension);
    }

    /// <inheritdoc />
    public override string ToString() => $"FeatureMatrix ({NumFrames} x {Dimension})";

    private int Index(int frame, int column)
    {
        if ((uint)frame >= (uint)NumFrames || (uint)column >= (uint)Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), $"({frame}, {column}) is outside a {NumFrames} x {Dimension} matrix.");
        }

        return (frame * Dimension) + column;
    }

    private static int CheckShape(int numFrames, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        return numFrames;
    }
}
