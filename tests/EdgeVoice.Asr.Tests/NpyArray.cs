using System.Text.RegularExpressions;

namespace EdgeVoice.Asr.Tests;

/// <summary>Reads a NumPy .npy array of any rank (float32 '&lt;f4' or int64 '&lt;i8', C order) for the golden tests.</summary>
internal sealed partial record NpyArray(int[] Shape, double[] Values)
{
    public static NpyArray Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = bytes[8] | (bytes[9] << 8);
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        string descr = DescrPattern().Match(header).Groups[1].Value;
        string shapeText = ShapePattern().Match(header).Groups[1].Value;
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var values = new double[count];
        int offset = 10 + headerLength;
        for (int i = 0; i < count; i++)
        {
            values[i] = descr switch
            {
                "<f4" => BitConverter.ToSingle(bytes, offset + (4 * i)),
                "<i8" => BitConverter.ToInt64(bytes, offset + (8 * i)),
                _ => throw new InvalidDataException($"{path}: unsupported dtype {descr}"),
            };
        }

        return new NpyArray(shape, values);
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
