namespace EdgeVoice.Features;

/// <summary>
/// Accumulates per-column sum, sum of squares and frame count (in double precision) over many feature
/// matrices, and turns them into <see cref="GlobalCmvn"/> statistics.
/// </summary>
public sealed class CmvnStatsAccumulator
{
    private readonly double[] _sum;
    private readonly double[] _sumSquares;

    /// <summary>Creates an empty accumulator for features of <paramref name="dimension"/> columns.</summary>
    public CmvnStatsAccumulator(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Dimension = dimension;
        _sum = new double[dimension];
        _sumSquares = new double[dimension];
    }

    /// <summary>Number of columns.</summary>
    public int Dimension { get; }

    /// <summary>Frames accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds every frame of a matrix.</summary>
    public void Accumulate(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Dimension != Dimension)
        {
            throw new ArgumentException($"The accumulator has dimension {Dimension} but the features have dimension {features.Dimension}.", nameof(features));
        }

        Accumulate(features.Data);
    }

    /// <summary>Adds whole frames stored row-major in <paramref name="frames"/>.</summary>
    public void Accumulate(ReadOnlySpan<float> frames)
    {
        if (frames.Length % Dimension != 0)
        {
            throw new ArgumentException($"{frames.Length} values are not a whole number of frames of dimension {Dimension}.", nameof(frames));
        }

        for (int offset = 0; offset < frames.Length; offset += Dimension)
        {
            for (int d = 0; d < Dimension; d++)
            {
                double x = frames[offset + d];
                _sum[d] += x;
                _sumSquares[d] += x * x;
            }
        }

        Count += frames.Length / Dimension;
    }

    /// <summary>
    /// Mean and standard deviation per column. The variance is floored at <paramref name="varianceFloor"/>
    /// so constant columns do not produce a zero std.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was accumulated.</exception>
    public GlobalCmvn ToCmvn(double varianceFloor = 1e-10)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No frames were accumulated; call Accumulate before ToCmvn.");
        }

        var mean = new float[Dimension];
        var std = new float[Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            double m = _sum[d] / Count;
            double variance = (_sumSquares[d] / Count) - (m * m);
            mean[d] = (float)m;
            std[d] = (float)Math.Sqrt(Math.Max(variance, varianceFloor));
        }

        return new GlobalCmvn(mean, std, Count);
    }

    /// <inheritdoc />
    public override string ToString() => $"CmvnStatsAccumulator {{ Dimension = {Dimension}, Count = {Count} }}";
}
