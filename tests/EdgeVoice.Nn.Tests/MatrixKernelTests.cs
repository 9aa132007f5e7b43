namespace EdgeVoice.Nn.Tests;

public sealed class MatrixKernelTests
{
    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void MatrixVector_matches_oracle_for_every_length(SimdTier tier)
    {
        var random = new Random(1234);
        for (int cols = 0; cols <= 256; cols++)
        {
            int rows = 1 + (cols % 11);
            float[] w = TestData.Uniform(random, rows * cols);
            float[] x = TestData.Uniform(random, cols, 3f);
            float[]? b = cols % 3 == 0 ? null : TestData.Uniform(random, rows);
            var y = new float[rows];
            MatrixVector.Multiply(tier, w, x, b, y);
            (double[] expected, double[] scale) = Oracle.MatVec(w, x, b, rows);
            TestData.AssertSumClose(expected, scale, y, cols, $"{tier} rows {rows} cols {cols}");
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void MatrixVector_bias_may_be_the_output(SimdTier tier)
    {
        var random = new Random(7);
        float[] w = TestData.Uniform(random, 13 * 37);
        float[] x = TestData.Uniform(random, 37);
        float[] b = TestData.Uniform(random, 13);
        var separate = new float[13];
        MatrixVector.Multiply(tier, w, x, b, separate);
        float[] inPlace = (float[])b.Clone();
        MatrixVector.Multiply(tier, w, x, inPlace, inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void Gemm_matches_oracle_for_every_depth(SimdTier tier)
    {
        var random = new Random(99);
        for (int k = 0; k <= 256; k++)
        {
            int m = 1 + (k % 9);
            int n = 1 + ((k * 7) % 13);
            float[] a = TestData.Uniform(random, m * k, 2f);
            float[] b = TestData.Uniform(random, n * k);
            float[]? bias = k % 4 == 1 ? null : TestData.Uniform(random, n);
            var c = new float[m * n];
            MatrixMultiply.MultiplyTransposed(tier, a, b, bias, c, m, n, k);
            (double[] expected, double[] scale) = Oracle.Gemm(a, b, bias, m, n, k);
            TestData.AssertSumClose(expected, scale, c, k, $"{tier} m {m} n {n} k {k}");
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void Gemm_spanning_several_panels_matches_oracle(SimdTier tier)
    {
        // k = 1216 (the subsampling Linear) makes panels of 26 rows of B, so n = 61 needs three panels and a ragged end.
        var random = new Random(5);
        const int m = 7, n = 61, k = 1216;
        float[] a = TestData.Uniform(random, m * k);
        float[] b = TestData.Uniform(random, n * k);
        float[] bias = TestData.Uniform(random, n);
        var c = new float[m * n];
        MatrixMultiply.MultiplyTransposed(tier, a, b, bias, c, m, n, k);
        (double[] expected, double[] scale) = Oracle.Gemm(a, b, bias, m, n, k);
        TestData.AssertSumClose(expected, scale, c, k, $"{tier} panels");
    }

    [Theory]
    [MemberData(nameof(TestData.Tiers), MemberType = typeof(TestData))]
    public void Gemm_rows_equal_matrix_vector_bit_for_bit(SimdTier tier)
    {
        // Every output element is computed the same way (vector FMAs, horizontal sum, FMA tail), so a Linear
        // over T frames gives exactly what T single-frame calls give on the same tier.
        var random = new Random(11);
        const int m = 9, n = 23, k = 71;
        float[] x = TestData.Uniform(random, m * k);
        float[] w = TestData.Uniform(random, n * k);
        float[] bias = TestData.Uniform(random, n);
        var c = new float[m * n];
        MatrixMultiply.MultiplyTransposed(tier, x, w, bias, c, m, n, k);
        var y = new float[n];
        for (int i = 0; i < m; i++)
        {
            MatrixVector.Multiply(tier, w, x.AsSpan(i * k, k), bias, y);
            Assert.Equal(y, c.AsSpan(i * n, n).ToArray());
        }
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var w = new float[6];
        Assert.Throws<ArgumentException>(() => MatrixVector.Multiply(w, new float[4], default, new float[2]));
        Assert.Throws<ArgumentException>(() => MatrixVector.Multiply(w, new float[3], new float[1], new float[2]));
        Assert.Throws<ArgumentException>(() => MatrixMultiply.MultiplyTransposed(new float[6], w, default, new float[3], 2, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatrixMultiply.MultiplyTransposed(default, default, default, default, -1, 0, 0));
    }
}
