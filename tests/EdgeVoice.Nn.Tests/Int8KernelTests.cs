namespace EdgeVoice.Nn.Tests;

public sealed class Int8KernelTests
{
    /// <summary>Every path; those this CPU cannot run are reported and skipped inside the test.</summary>
    public static TheoryData<Int8Path> Paths => [Int8Path.Scalar, Int8Path.Vector128, Int8Path.Avx2, Int8Path.AvxVnni];

    /// <summary>The paths that use the one-row dots of Int8Dot (the x86 paths have row-blocked kernels, checked by the matrix tests).</summary>
    public static TheoryData<Int8Path> PortablePaths => [Int8Path.Scalar, Int8Path.Vector128];

    [Theory]
    [MemberData(nameof(PortablePaths))]
    public void Dense_dots_equal_the_oracle_for_every_length(Int8Path path)
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            Assert.True(Int8Checks.Dots(path, seed, 300) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Dense_matrices_equal_the_oracle_exactly(Int8Path path)
    {
        if (!Int8Paths.IsSupported(path))
        {
            return;
        }

        foreach (int seed in new[] { 11, 12 })
        {
            Assert.True(Int8Checks.DenseMatrices(path, seed) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sparse_matrices_equal_the_dense_oracle_exactly(Int8Path path)
    {
        if (!Int8Paths.IsSupported(path))
        {
            return;
        }

        foreach (int seed in new[] { 21, 22 })
        {
            Assert.True(Int8Checks.SparseMatrices(path, seed) > 0);
        }
    }

    [Fact]
    public void Sparse_matrices_give_the_oracle_result_whichever_kernel_the_public_products_pick()
    {
        var random = new Random(41);
        bool x86 = Int8Paths.Best is Int8Path.Avx2 or Int8Path.AvxVnni;
        foreach ((int rows, int cols) in new[] { (64, 256), (37, 192), (8, 608), (5, 33) })
        {
            foreach (double share in new[] { 0.0, 0.3, 0.5, 0.7, 0.9, 1.0 })
            {
                sbyte[] w = Int8Oracle.BlockSparse(random, rows, cols, share);
                float[] scales = Int8Oracle.PositiveScales(random, rows);
                var matrix = BlockSparseInt8Matrix.FromDense(w, scales, rows, cols);
                double density = 1.0 - matrix.BlockSparsity;
                Assert.Equal(x86 && density > BlockSparseInt8Matrix.DenseKernelAboveDensity, matrix.UsesDenseKernel(1));
                Assert.Equal(x86 && density > BlockSparseInt8Matrix.DenseKernelAboveDensityFrames, matrix.UsesDenseKernel(8));
                foreach (int frames in new[] { 1, 3, 8 })
                {
                    float[] input = TestData.Uniform(random, frames * cols, 2f);
                    float[] bias = TestData.Uniform(random, rows);
                    float[] expected = Int8Oracle.Multiply(w, scales, input, bias, frames, rows, cols);
                    var output = new float[frames * rows];
                    if (frames == 1)
                    {
                        matrix.MultiplyVector(input, bias, output);
                    }
                    else
                    {
                        matrix.MultiplyFrames(input, bias, output, frames);
                    }

                    Assert.Equal(expected, output);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Matrices_equal_the_oracle_for_every_frame_count(Int8Path path)
    {
        if (!Int8Paths.IsSupported(path))
        {
            return;
        }

        Assert.True(Int8Checks.FrameCounts(path, 31) > 0);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Matrices_are_exact_at_the_largest_sums(Int8Path path)
    {
        if (!Int8Paths.IsSupported(path))
        {
            return;
        }

        Assert.True(Int8Checks.ExtremeSums(path) > 0);
    }

    [Fact]
    public void Best_path_is_supported_and_at_least_avx2_on_x86_with_avx2()
    {
        Assert.True(Int8Paths.IsSupported(Int8Paths.Best));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Assert.True(Int8Paths.Best >= Int8Path.Avx2);
        }
    }

    [Fact]
    public void Public_entry_points_equal_the_oracle_on_the_best_path()
    {
        var random = new Random(5);
        sbyte[] w = Int8Oracle.BlockSparse(random, 40, 96, 0.5);
        float[] scales = Int8Oracle.PositiveScales(random, 40);
        float[] x = TestData.Uniform(random, 3 * 96);
        float[] bias = TestData.Uniform(random, 40);
        float[] expected = Int8Oracle.Multiply(w, scales, x, bias, 3, 40, 96);
        IWeightMatrix[] matrices = [new Int8Matrix(w, scales, 40, 96), BlockSparseInt8Matrix.FromDense(w, scales, 40, 96)];
        foreach (IWeightMatrix m in matrices)
        {
            var y = new float[3 * 40];
            m.MultiplyFrames(x, bias, y, 3);
            Assert.Equal(expected, y);
            float[] inPlace = (float[])bias.Clone();
            m.MultiplyVector(x.AsSpan(0, 96), inPlace, inPlace);
            Assert.Equal(expected.AsSpan(0, 40).ToArray(), inPlace);
        }
    }

    [Fact]
    public void Activation_quantizer_matches_the_oracle_and_handles_zeros()
    {
        var random = new Random(8);
        for (int n = 1; n < 200; n++)
        {
            float[] x = TestData.Uniform(random, n, 10f);
            var q = new sbyte[n];
            float s = ActivationQuantizer.Quantize(x, q);
            (sbyte[] eq, float es) = Int8Oracle.Quantize(x);
            Assert.Equal(es, s);
            Assert.Equal(eq, q);
            Assert.Contains(q, v => v is 127 or -127);
        }

        var zeros = new sbyte[4];
        Assert.Equal(0f, ActivationQuantizer.Quantize(new float[4], zeros));
        Assert.All(zeros, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Activation_quantizer_reports_a_value_that_is_not_finite_anywhere_in_the_row()
    {
        foreach (int n in new[] { 1, 7, 8, 9, 31, 32, 33, 100 })
        {
            for (int at = 0; at < n; at += Math.Max(1, n / 5))
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float[] x = TestData.Uniform(new Random(n + at), n);
                    x[at] = bad;
                    var q = new sbyte[n];
                    Assert.True(float.IsNaN(ActivationQuantizer.Quantize(x, q)), $"n={n} at={at} value={bad}");
                    Assert.All(q, v => Assert.Equal(0, v));
                }
            }
        }
    }

    [Fact]
    public void Pruning_removes_the_smallest_blocks_and_quantizes_per_row()
    {
        var random = new Random(9);
        int rows = 24, cols = 40;
        float[] w = TestData.Uniform(random, rows * cols);
        BlockSparseInt8Matrix m = BlockSparseInt8Matrix.Prune(w, rows, cols, 0.5);
        Assert.Equal(rows * 3, m.TotalBlocks);
        Assert.Equal(rows * 3 / 2, m.StoredBlocks);
        float[] back = m.Dequantize();
        double smallestKept = double.MaxValue, largestPruned = 0;
        for (int r = 0; r < rows; r++)
        {
            float max = 0;
            for (int c0 = 0; c0 < cols; c0 += 16)
            {
                int width = Math.Min(16, cols - c0);
                double norm = 0;
                bool kept = false;
                for (int i = 0; i < width; i++)
                {
                    norm += (double)w[(r * cols) + c0 + i] * w[(r * cols) + c0 + i];
                    kept |= back[(r * cols) + c0 + i] != 0;
                }

                if (kept)
                {
                    smallestKept = Math.Min(smallestKept, norm);
                    for (int i = 0; i < width; i++)
                    {
                        max = Math.Max(max, Math.Abs(w[(r * cols) + c0 + i]));
                        Assert.True(Math.Abs(back[(r * cols) + c0 + i] - w[(r * cols) + c0 + i]) <= (m.Scales.Span[r] * 0.5f) + 1e-7f);
                    }
                }
                else
                {
                    largestPruned = Math.Max(largestPruned, norm);
                }
            }

            Assert.Equal(max == 0 ? 1f : max / 127f, m.Scales.Span[r]);
        }

        Assert.True(largestPruned <= smallestKept);
    }

    [Fact]
    public void Sparse_constructor_rejects_a_bitmap_that_disagrees_with_the_values()
    {
        var scales = new float[] { 1f, 1f };
        byte[] bitmap = [0b0101];
        Assert.Throws<ArgumentException>(() => new BlockSparseInt8Matrix(new sbyte[16], bitmap, scales, 2, 32));
        Assert.Throws<ArgumentException>(() => new BlockSparseInt8Matrix(new sbyte[32], new byte[2], scales, 2, 32));
        var ok = new BlockSparseInt8Matrix(new sbyte[32], bitmap, scales, 2, 32);
        Assert.Equal(0.5, ok.BlockSparsity);
    }
}
