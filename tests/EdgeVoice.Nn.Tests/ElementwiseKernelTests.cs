namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Kernels built on TensorPrimitives run on its widest tier only (TensorPrimitives tests its own tiers);
/// tolerances: sigmoid and swish within 2e-6 relative, tanh within 2e-6 relative or 1e-7 absolute near 0
/// (TensorPrimitives computes it through exp); ReLU, ArgMax exact.
/// </summary>
public sealed class ElementwiseKernelTests
{
    [Fact]
    public void Activations_match_oracle_for_every_length()
    {
        var random = new Random(41);
        for (int n = 0; n <= 256; n++)
        {
            float[] x = TestData.Uniform(random, n, 12f);
            var y = new float[n];

            Activations.Relu(x, y);
            Assert.Equal(x.Select(v => Math.Max(v, 0f)).ToArray(), y);

            Activations.Sigmoid(x, y);
            TestData.AssertClose(x.Select(v => Oracle.Sigmoid(v)).ToArray(), y, 2e-6, 1e-6, $"sigmoid n {n}");

            Activations.Tanh(x, y);
            TestData.AssertClose(x.Select(v => Math.Tanh(v)).ToArray(), y, 2e-6, 0.05, $"tanh n {n}");

            double[] swish = x.Select(v => v * Oracle.Sigmoid(v)).ToArray();
            Activations.Swish(x, y);
            TestData.AssertClose(swish, y, 2e-6, 1e-6, $"swish n {n}");
            float[] inPlace = (float[])x.Clone();
            Activations.Swish(inPlace, inPlace);
            Assert.Equal(y, inPlace);
        }
    }

    [Fact]
    public void Swish_in_place_crosses_its_chunk_boundary()
    {
        float[] x = TestData.Uniform(new Random(42), 1000, 5f);
        var y = new float[x.Length];
        Activations.Swish(x, y);
        Activations.Swish(x, x);
        Assert.Equal(y, x);
    }

    [Fact]
    public void Log_softmax_matches_oracle_for_every_length()
    {
        var random = new Random(43);
        for (int n = 1; n <= 600; n += n < 256 ? 1 : 57)
        {
            float[] x = TestData.Uniform(random, n, 20f);
            var y = new float[n];
            Activations.LogSoftmax(x, y);
            double[] expected = Oracle.LogSoftmax(x);
            double scale = 1 + x.Max(MathF.Abs);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(y[i] - expected[i]) <= 4e-6 * scale, $"n {n} element {i}: {y[i]} vs {expected[i]}");
            }

            Activations.LogSoftmax(x, x);
            Assert.Equal(y, x);
        }

        Activations.LogSoftmax(ReadOnlySpan<float>.Empty, Span<float>.Empty);
    }

    [Fact]
    public void Arg_max_finds_the_first_largest()
    {
        var random = new Random(44);
        for (int n = 1; n <= 256; n++)
        {
            float[] x = TestData.Uniform(random, n);
            int expected = 0;
            for (int i = 1; i < n; i++)
            {
                if (x[i] > x[expected])
                {
                    expected = i;
                }
            }

            Assert.Equal(expected, ArgMax.Find(x));
        }

        Assert.Equal(1, ArgMax.Find([0f, 3f, 1f, 3f]));
        Assert.Equal(-1, ArgMax.Find(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Layer_norm_matches_oracle_for_every_width()
    {
        var random = new Random(45);
        for (int dim = 1; dim <= 256; dim++)
        {
            int frames = 1 + (dim % 3);
            float[] x = TestData.Uniform(random, frames * dim, 4f);
            for (int i = 0; i < x.Length; i++)
            {
                x[i] += 3f;
            }

            float[] gamma = TestData.Uniform(random, dim);
            float[] beta = TestData.Uniform(random, dim);
            var y = new float[x.Length];
            LayerNormalization.Normalize(x, gamma, beta, 1e-5f, y);
            TestData.AssertClose(Oracle.LayerNorm(x, gamma, beta, 1e-5), y, 1e-5, 1, $"dim {dim}");
            new LayerNorm(gamma, beta).Forward(x, x);
            Assert.Equal(y, x);
        }
    }

    [Fact]
    public void Cumulative_mean_carries_across_chunks()
    {
        var random = new Random(46);
        const int dim = 13, frames = 10;
        float[] x = TestData.Uniform(random, frames * dim);
        var sum = new float[dim];
        float count = 0;
        var means = new float[x.Length];
        CumulativeMean.Update(x.AsSpan(0, 4 * dim), sum, ref count, means.AsSpan(0, 4 * dim));
        CumulativeMean.Update(x.AsSpan(4 * dim), sum, ref count, means.AsSpan(4 * dim));
        Assert.Equal(frames, count);
        var expected = new double[x.Length];
        var running = new double[dim];
        for (int t = 0; t < frames; t++)
        {
            for (int d = 0; d < dim; d++)
            {
                running[d] += x[(t * dim) + d];
                expected[(t * dim) + d] = running[d] / (t + 1);
            }
        }

        TestData.AssertClose(expected, means, 1e-5, 1, "means");
    }

    [Fact]
    public void Embedding_lookup_is_exact_and_checks_the_id()
    {
        float[] table = TestData.Uniform(new Random(47), 5 * 3);
        var embedding = new Embedding(table, 5, 3);
        var row = new float[3];
        embedding.Lookup(4, row);
        Assert.Equal(table.AsSpan(12, 3).ToArray(), row);
        Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Lookup(5, row));
        Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Lookup(-1, row));
    }
}
