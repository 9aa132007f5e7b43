using System.Runtime.InteropServices;

namespace EdgeVoice.Nn.Tests;

/// <summary>
/// The exactness checks of the int8 kernels against <see cref="Int8Oracle"/>, shared by the xunit tests and by
/// the self-check the test assembly runs as a program with hardware intrinsics switched off
/// (<see cref="Int8HardwareOffTests"/>). Each returns the number of cases it checked and throws on the first mismatch.
/// </summary>
internal static class Int8Checks
{
    public static int Dots(Int8Path path, int seed, int maxLength)
    {
        var random = new Random(seed);
        int cases = 0;
        Span<int> sums = stackalloc int[4];
        for (int n = 0; n <= maxLength; n++)
        {
            sbyte[] w = Int8Oracle.RandomInt8(random, n);
            sbyte[] x = Int8Oracle.RandomInt8(random, 4 * n);
            if (n > 0 && n % 7 == 0)
            {
                Array.Fill(w, (sbyte)-127);
                Array.Fill(x, (sbyte)-127);
            }

            int got = Int8Dot.Dense(path, ref MemoryMarshal.GetArrayDataReference(w), ref MemoryMarshal.GetArrayDataReference(x), n);
            Expect(Int8Oracle.Dot(w, 0, x, 0, n), got, $"{path} dense dot n={n}");
            Int8Dot.Dense1x4(path, ref MemoryMarshal.GetArrayDataReference(w), ref MemoryMarshal.GetArrayDataReference(x), n, n, sums);
            for (int t = 0; t < 4; t++)
            {
                Expect(Int8Oracle.Dot(w, 0, x, t * n, n), sums[t], $"{path} dense 1x4 n={n} frame {t}");
            }

            cases += 5;
        }

        return cases;
    }

    public static int DenseMatrices(Int8Path path, int seed)
    {
        var random = new Random(seed);
        int cases = 0;
        foreach ((int rows, int cols) in Shapes())
        {
            for (int frames = 0; frames <= 9; frames += frames < 6 ? 1 : 3)
            {
                sbyte[] w = Int8Oracle.RandomInt8(random, rows * cols);
                float[] scales = Int8Oracle.PositiveScales(random, rows);
                float[] input = TestData.Uniform(random, frames * cols, 4f);
                if (frames > 1)
                {
                    Array.Clear(input, 0, cols);
                }

                float[]? bias = (rows + frames) % 3 == 0 ? null : TestData.Uniform(random, rows);
                var matrix = new Int8Matrix(w, scales, rows, cols);
                var output = new float[frames * rows];
                matrix.MultiplyFrames(path, input, bias, output, frames);
                ExpectAll(Int8Oracle.Multiply(w, scales, input, bias, frames, rows, cols), output, $"{path} dense {rows}x{cols} frames {frames}");
                cases++;
            }
        }

        return cases;
    }

    public static int SparseMatrices(Int8Path path, int seed)
    {
        var random = new Random(seed);
        int cases = 0;
        foreach ((int rows, int cols) in Shapes())
        {
            foreach (double share in new[] { 0.0, 0.5, 0.9, 1.0 })
            {
                int frames = 1 + ((rows + cols) % 9);
                sbyte[] w = Int8Oracle.BlockSparse(random, rows, cols, share);
                float[] scales = Int8Oracle.PositiveScales(random, rows);
                float[] input = TestData.Uniform(random, frames * cols, 2f);
                float[]? bias = cols % 2 == 0 ? TestData.Uniform(random, rows) : null;
                var matrix = BlockSparseInt8Matrix.FromDense(w, scales, rows, cols);
                var output = new float[frames * rows];
                matrix.MultiplyFrames(path, input, bias, output, frames);
                ExpectAll(Int8Oracle.Multiply(w, scales, input, bias, frames, rows, cols), output, $"{path} sparse {rows}x{cols} zero share {share} frames {frames}");
                var single = new float[rows];
                matrix.MultiplyFrames(path, input.AsSpan(0, cols), bias, single, 1);
                ExpectAll(output.AsSpan(0, rows).ToArray(), single, $"{path} sparse {rows}x{cols} one frame");
                cases += 2;
            }
        }

        return cases;
    }

    /// <summary>Dense and sparse matrices against 1–17 frames: every split into passes of eight, pairs and a lone frame.</summary>
    public static int FrameCounts(Int8Path path, int seed)
    {
        var random = new Random(seed);
        int cases = 0;
        foreach ((int rows, int cols) in new[] { (4, 256), (5, 48), (7, 608), (9, 33), (12, 16) })
        {
            for (int frames = 1; frames <= 17; frames++)
            {
                sbyte[] w = Int8Oracle.BlockSparse(random, rows, cols, 0.5);
                float[] scales = Int8Oracle.PositiveScales(random, rows);
                float[] input = TestData.Uniform(random, frames * cols, 3f);
                float[]? bias = frames % 2 == 0 ? TestData.Uniform(random, rows) : null;
                float[] expected = Int8Oracle.Multiply(w, scales, input, bias, frames, rows, cols);
                IWeightMatrix[] matrices = [new Int8Matrix(w, scales, rows, cols), BlockSparseInt8Matrix.FromDense(w, scales, rows, cols)];
                foreach (IWeightMatrix matrix in matrices)
                {
                    var output = new float[frames * rows];
                    Multiply(matrix, path, input, bias, output, frames);
                    ExpectAll(expected, output, $"{path} {matrix.Storage} {rows}x{cols} frames {frames}");
                    cases++;
                }
            }
        }

        return cases;
    }

    /// <summary>
    /// The largest sums: every weight ±127 and every activation quantized to ±127, up to <see cref="Int8Dot.MaxColumns"/>
    /// columns, where zero-point steps' intermediate sums wrap around int32 and must still come out exact.
    /// </summary>
    public static int ExtremeSums(Int8Path path)
    {
        int cases = 0;
        foreach (int cols in new[] { 32, 48, 608, 4096, Int8Dot.MaxColumns })
        {
            const int rows = 3;
            var w = new sbyte[rows * cols];
            for (int c = 0; c < cols; c++)
            {
                w[c] = 127;
                w[cols + c] = -127;
                w[(2 * cols) + c] = (sbyte)(c % 2 == 0 ? 127 : -127);
            }

            float[] scales = [1e-9f, 1e-9f, 1e-9f];
            foreach (float value in new[] { 1f, -1f })
            {
                for (int frames = 1; frames <= 3; frames++)
                {
                    float[] input = Enumerable.Repeat(value, frames * cols).ToArray();
                    float[] expected = Int8Oracle.Multiply(w, scales, input, null, frames, rows, cols);
                    IWeightMatrix[] matrices = [new Int8Matrix(w, scales, rows, cols), BlockSparseInt8Matrix.FromDense(w, scales, rows, cols)];
                    foreach (IWeightMatrix matrix in matrices)
                    {
                        var output = new float[frames * rows];
                        Multiply(matrix, path, input, null, output, frames);
                        ExpectAll(expected, output, $"{path} {matrix.Storage} extreme {rows}x{cols} value {value} frames {frames}");
                        cases++;
                    }
                }
            }
        }

        return cases;
    }

    private static void Multiply(IWeightMatrix matrix, Int8Path path, float[] input, float[]? bias, float[] output, int frames)
    {
        if (matrix is Int8Matrix dense)
        {
            dense.MultiplyFrames(path, input, bias, output, frames);
        }
        else
        {
            ((BlockSparseInt8Matrix)matrix).MultiplyFrames(path, input, bias, output, frames);
        }
    }

    private static IEnumerable<(int Rows, int Cols)> Shapes()
    {
        int[] widths = [1, 5, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 127, 128, 129, 192, 256, 608];
        foreach (int cols in widths)
        {
            yield return (1 + (cols % 7), cols);
        }

        yield return (37, 256);
        yield return (64, 48);
    }

    private static void Expect(long expected, int actual, string what)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"{what}: got {actual}, expected {expected}");
        }
    }

    private static void ExpectAll(float[] expected, ReadOnlySpan<float> actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} outputs, expected {expected.Length}");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                throw new InvalidOperationException($"{what}: element {i}: got {actual[i]:R}, expected {expected[i]:R}");
            }
        }
    }
}
