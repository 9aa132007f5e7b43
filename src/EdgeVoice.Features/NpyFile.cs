using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Features;

/// <summary>
/// Reads and writes NumPy .npy files (format version 1.0) holding little-endian float32 ('&lt;f4')
/// arrays in C order: 1-D vectors (audio samples) and 2-D matrices (features, [frames, bins]).
/// Anything else is rejected with an <see cref="InvalidDataException"/> that names the file.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a 1-D float32 array.</summary>
    public static float[] ReadVector(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadVector(stream, path);
    }

    /// <summary>Reads a 1-D float32 array from a stream; <paramref name="sourceName"/> is used in error messages.</summary>
    public static float[] ReadVector(Stream stream, string sourceName)
    {
        var (shape, data) = Read(stream, sourceName);
        if (shape.Length != 1)
        {
            throw new InvalidDataException($"{sourceName}: expected a 1-D array but the .npy shape is ({string.Join(", ", shape)}).");
        }

        return data;
    }

    /// <summary>Reads a 2-D float32 array as a (rows x columns) matrix.</summary>
    public static FeatureMatrix ReadMatrix(string path)
    {
        using var stream = File.OpenRead(path);
        return ReadMatrix(stream, path);
    }

    /// <summary>Reads a 2-D float32 array from a stream; <paramref name="sourceName"/> is used in error messages.</summary>
    public static FeatureMatrix ReadMatrix(Stream stream, string sourceName)
    {
        var (shape, data) = Read(stream, sourceName);
        if (shape.Length != 2)
        {
            throw new InvalidDataException($"{sourceName}: expected a 2-D array but the .npy shape is ({string.Join(", ", shape)}).");
        }

        return new FeatureMatrix(data, shape[0], shape[1]);
    }

    /// <summary>Writes a 1-D float32 array.</summary>
    public static void WriteVector(string path, ReadOnlySpan<float> values)
    {
        using var stream = File.Create(path);
        WriteVector(stream, values);
    }

    /// <summary>Writes a 1-D float32 array to a stream.</summary>
    public static void WriteVector(Stream stream, ReadOnlySpan<float> values) =>
        Write(stream, $"({values.Length.ToString(CultureInfo.InvariantCulture)},)", values);

    /// <summary>Writes a matrix as a 2-D float32 array of shape (NumFrames, Dimension).</summary>
    public static void WriteMatrix(string path, FeatureMatrix matrix)
    {
        using var stream = File.Create(path);
        WriteMatrix(stream, matrix);
    }

    /// <summary>Writes a matrix to a stream as a 2-D float32 array.</summary>
    public static void WriteMatrix(Stream stream, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        string shape = string.Create(CultureInfo.InvariantCulture, $"({matrix.NumFrames}, {matrix.Dimension})");
        Write(stream, shape, matrix.Data);
    }

    private static void Write(Stream stream, string shape, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";

        Span<byte> prefix = stackalloc byte[10];
        Magic.CopyTo(prefix);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));

        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> buffer = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }

    private static (int[] Shape, float[] Data) Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[10];
        if (stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length || !prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{sourceName}: not a .npy file (missing the \\x93NUMPY magic).");
        }

        if (prefix[6] != 1 || prefix[7] != 0)
        {
            throw new InvalidDataException($"{sourceName}: .npy format version {prefix[6]}.{prefix[7]} is not supported; only 1.0 is (np.save writes 1.0 for ordinary arrays).");
        }

        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw new InvalidDataException($"{sourceName}: the .npy header is truncated.");
        }

        string header = Encoding.Latin1.GetString(headerBytes);
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"{sourceName}: the .npy header is malformed: {header.Trim()}");
        }

        if (descr.Groups[1].Value != "<f4")
        {
            throw new InvalidDataException($"{sourceName}: dtype '{descr.Groups[1].Value}' is not supported; save the array as little-endian float32 ('<f4').");
        }

        if (order.Groups[1].Value != "False")
        {
            throw new InvalidDataException($"{sourceName}: Fortran-ordered arrays are not supported; save a C-ordered array.");
        }

        var shape = ParseShape(shapeMatch.Groups[1].Value, sourceName);
        long count = 1;
        foreach (int dim in shape)
        {
            count *= dim;
        }

        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{sourceName}: the array has {count} values, too many for one array.");
        }

        var data = new float[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan());
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new InvalidDataException($"{sourceName}: the data is truncated; the shape ({string.Join(", ", shape)}) needs {bytes.Length} bytes.");
        }

        if (stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{sourceName}: unexpected bytes after the data for shape ({string.Join(", ", shape)}).");
        }

        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i, 4));
            }
        }

        return (shape, data);
    }

    private static int[] ParseShape(string text, string sourceName)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new InvalidDataException($"{sourceName}: the .npy shape '({text})' is not a tuple of non-negative integers.");
            }
        }

        return shape;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(\w+)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
