using System.Numerics.Tensors;
using System.Text.Json;
using System.Runtime.CompilerServices;

namespace EdgeVoice.Features;

/// <summary>
/// Global cepstral mean and variance normalisation: y = (x - mean) / std per feature column, with
/// statistics computed once over a training set (see <see cref="CmvnStatsAccumulator"/>).
/// </summary>
/// <remarks>
/// File format (UTF-8 JSON, documented in docs/features.md):
/// <c>{"format": "edgevoice-global-cmvn", "version": 1, "count": 123456, "mean": [...], "std": [...]}</c>.
/// <c>mean</c> and <c>std</c> are required and must have the same length; every std must be positive.
/// <c>count</c> (frames the statistics came from) is informational.
/// </remarks>
public sealed class GlobalCmvn
{
    /// <summary>Value of the "format" field written by <see cref="Save"/>.</summary>
    public const string FormatName = "edgevoice-global-cmvn";

    /// <summary>Version of the file format written by <see cref="Save"/>.</summary>
    public const int FormatVersion = 1;

    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly float[] _inverseStd;

    /// <summary>Creates normalisation from per-column means and standard deviations (copied).</summary>
    /// <exception cref="ArgumentException">Lengths differ, are zero, or a value is not finite or a std is not positive.</exception>
    public GlobalCmvn(ReadOnlySpan<float> mean, ReadOnlySpan<float> std, long count = 0, string? source = null)
    {
        string origin = source ?? "CMVN statistics";
        var problems = CheckStats(mean, std);
        if (problems is not null)
        {
            throw new ArgumentException($"{origin}: {problems}");
        }

        _mean = mean.ToArray();
        _std = std.ToArray();
        _inverseStd = new float[_std.Length];
        TensorPrimitives.Reciprocal(_std, _inverseStd);
        Count = count;
        Source = source;
    }

    /// <summary>Number of columns.</summary>
    public int Dimension => _mean.Length;

    /// <summary>Number of frames the statistics came from (0 if unknown).</summary>
    public long Count { get; }

    /// <summary>File the statistics were loaded from, if any; used in error messages.</summary>
    public string? Source { get; }

    /// <summary>Per-column means.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Per-column standard deviations.</summary>
    public ReadOnlySpan<float> Std => _std;

    /// <summary>Loads statistics from a JSON file in the format described on this class.</summary>
    /// <exception cref="InvalidDataException">The file is not valid; the message names the file and the problem.</exception>
    public static GlobalCmvn Load(string path)
    {
        string text = File.ReadAllText(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected a JSON object with \"mean\" and \"std\" arrays.");
            }

            if (root.TryGetProperty("version", out var version) && (!version.TryGetInt32(out int v) || v != FormatVersion))
            {
                throw new InvalidDataException($"{path}: CMVN format version {version} is not supported; this build reads version {FormatVersion}.");
            }

            float[] mean = ReadArray(root, "mean", path);
            float[] std = ReadArray(root, "std", path);
            long count = root.TryGetProperty("count", out var c) && c.TryGetInt64(out long n) ? n : 0;
            var problems = CheckStats(mean, std);
            if (problems is not null)
            {
                throw new InvalidDataException($"{path}: {problems}");
            }

            return new GlobalCmvn(mean, std, count, path);
        }
    }

    /// <summary>Writes the statistics as JSON (format version 1).</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteNumber("count", Count);
        WriteArray(writer, "mean", _mean);
        WriteArray(writer, "std", _std);
        writer.WriteEndObject();
    }

    /// <summary>Normalises one or more frames in place; <paramref name="frames"/> holds whole rows of <see cref="Dimension"/> values.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="Dimension"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<float> frames)
    {
        if (frames.Length % Dimension != 0)
        {
            throw new ArgumentException(
                $"CMVN from {Source ?? "memory"} has dimension {Dimension}, but {frames.Length} values are not a whole number of frames of that size.",
                nameof(frames));
        }

        for (int offset = 0; offset < frames.Length; offset += Dimension)
        {
            Span<float> row = frames.Slice(offset, Dimension);
            TensorPrimitives.Subtract(row, _mean, row);
            TensorPrimitives.Multiply(row, _inverseStd, row);
        }
    }

    /// <summary>Normalises every frame of a matrix in place.</summary>
    /// <exception cref="ArgumentException">The matrix dimension differs from <see cref="Dimension"/>.</exception>
    public void Apply(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Dimension != Dimension)
        {
            throw new ArgumentException(
                $"CMVN from {Source ?? "memory"} has dimension {Dimension} but the features have dimension {features.Dimension}.",
                nameof(features));
        }

        Apply(features.Data);
    }

    /// <inheritdoc />
    public override string ToString() => $"GlobalCmvn {{ Dimension = {Dimension}, Count = {Count}, Source = {Source ?? "memory"} }}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? CheckStats(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length == 0)
        {
            return "\"mean\" is empty.";
        }

        if (mean.Length != std.Length)
        {
            return $"dimension mismatch: \"mean\" has {mean.Length} values but \"std\" has {std.Length}.";
        }

        var bad = new List<string>();
        for (int i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                bad.Add($"mean[{i}] = {mean[i]} is not finite");
            }

            if (!(std[i] > 0.0f) || !float.IsFinite(std[i]))
            {
                bad.Add($"std[{i}] = {std[i]} must be positive and finite");
            }
        }

        return bad.Count == 0 ? null : string.Join("; ", bad) + ".";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] ReadArray(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: missing the \"{name}\" array.");
        }

        var values = new float[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out values[i]))
            {
                throw new InvalidDataException($"{path}: \"{name}\"[{i}] is not a number.");
            }

            i++;
        }

        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteArray(Utf8JsonWriter writer, string name, float[] values)
    {
        writer.WriteStartArray(name);
        foreach (float value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
