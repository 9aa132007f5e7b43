namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Deliberately naive reference implementations, in double precision, written straight from the
/// definitions (PyTorch's documentation), with no blocking, no vectors and no reuse.
/// </summary>
internal static class Oracle
{
    /// <summary>y = W x + b; also returns Σ|w·x| + |b| per row (the scale of the rounding error).</summary>
    public static (double[] Y, double[] Scale) MatVec(float[] w, float[] x, float[]? b, int rows)
    {
        int cols = x.Length;
        var y = new double[rows];
        var scale = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = b is null ? 0 : b[r];
            double m = b is null ? 0 : Math.Abs(b[r]);
            for (int c = 0; c < cols; c++)
            {
                s += (double)w[(r * cols) + c] * x[c];
                m += Math.Abs((double)w[(r * cols) + c] * x[c]);
            }

            y[r] = s;
            scale[r] = m;
        }

        return (y, scale);
    }

    /// <summary>C = A Bᵀ + bias with A [m, k], B [n, k].</summary>
    public static (double[] C, double[] Scale) Gemm(float[] a, float[] b, float[]? bias, int m, int n, int k)
    {
        var c = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = bias is null ? 0 : bias[j];
                double g = bias is null ? 0 : Math.Abs(bias[j]);
                for (int p = 0; p < k; p++)
                {
                    double prod = (double)a[(i * k) + p] * b[(j * k) + p];
                    s += prod;
                    g += Math.Abs(prod);
                }

                c[(i * n) + j] = s;
                scale[(i * n) + j] = g;
            }
        }

        return (c, scale);
    }

    /// <summary>Causal depthwise conv with PyTorch weights [channels, 1, kernel], over history ++ input (time-major).</summary>
    public static double[] DepthwiseConv(float[] history, float[] input, float[] pytorchWeight, float[]? bias, int channels)
    {
        int kernel = pytorchWeight.Length / channels;
        float[] all = [.. history, .. input];
        int frames = input.Length / channels;
        var y = new double[input.Length];
        for (int t = 0; t < frames; t++)
        {
            for (int d = 0; d < channels; d++)
            {
                double s = bias is null ? 0 : bias[d];
                for (int j = 0; j < kernel; j++)
                {
                    s += (double)pytorchWeight[(d * kernel) + j] * all[((t + j) * channels) + d];
                }

                y[(t * channels) + d] = s;
            }
        }

        return y;
    }

    /// <summary>Conv2d kernel 3 stride 2 over time-major [T, Cin, F] (history ++ input), PyTorch weight [Cout, Cin, 3, 3].</summary>
    public static double[] Conv2d(float[] history, float[] input, float[] w, float[]? bias, int cin, int cout, int bins)
    {
        float[] all = [.. history, .. input];
        int frames = all.Length / (cin * bins);
        int outFrames = frames < 3 ? 0 : ((frames - 3) / 2) + 1;
        int outBins = ((bins - 3) / 2) + 1;
        var y = new double[outFrames * cout * outBins];
        for (int t = 0; t < outFrames; t++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int f = 0; f < outBins; f++)
                {
                    double s = bias is null ? 0 : bias[co];
                    for (int ci = 0; ci < cin; ci++)
                    {
                        for (int kt = 0; kt < 3; kt++)
                        {
                            for (int kf = 0; kf < 3; kf++)
                            {
                                s += (double)w[(((co * cin) + ci) * 9) + (kt * 3) + kf]
                                    * all[((((2 * t) + kt) * cin) + ci) * bins + (2 * f) + kf];
                            }
                        }
                    }

                    y[(((t * cout) + co) * outBins) + f] = s;
                }
            }
        }

        return y;
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double[] LayerNorm(float[] x, float[] gamma, float[] beta, double eps)
    {
        int dim = gamma.Length;
        var y = new double[x.Length];
        for (int o = 0; o < x.Length; o += dim)
        {
            double mean = 0;
            for (int i = 0; i < dim; i++)
            {
                mean += x[o + i];
            }

            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++)
            {
                var += (x[o + i] - mean) * (x[o + i] - mean);
            }

            var /= dim;
            for (int i = 0; i < dim; i++)
            {
                y[o + i] = ((x[o + i] - mean) / Math.Sqrt(var + eps) * gamma[i]) + beta[i];
            }
        }

        return y;
    }

    public static double[] LogSoftmax(float[] x)
    {
        double max = x.Max();
        double sum = x.Sum(v => Math.Exp(v - max));
        return x.Select(v => v - max - Math.Log(sum)).ToArray();
    }

    /// <summary>One LSTM layer over time-major frames, PyTorch equations and gate order (i, f, g, o).</summary>
    public static double[] Lstm(
        float[] input, float[] wih, float[] whh, float[] bih, float[] bhh, int inSize, int hidden, double[] h, double[] c)
    {
        int frames = input.Length / inSize;
        var y = new double[frames * hidden];
        for (int t = 0; t < frames; t++)
        {
            var gates = new double[4 * hidden];
            for (int r = 0; r < 4 * hidden; r++)
            {
                double s = bih[r] + bhh[r];
                for (int k = 0; k < inSize; k++)
                {
                    s += (double)wih[(r * inSize) + k] * input[(t * inSize) + k];
                }

                for (int k = 0; k < hidden; k++)
                {
                    s += whh[(r * hidden) + k] * h[k];
                }

                gates[r] = s;
            }

            for (int j = 0; j < hidden; j++)
            {
                double i = Sigmoid(gates[j]);
                double f = Sigmoid(gates[hidden + j]);
                double g = Math.Tanh(gates[(2 * hidden) + j]);
                double o = Sigmoid(gates[(3 * hidden) + j]);
                c[j] = (f * c[j]) + (i * g);
                h[j] = o * Math.Tanh(c[j]);
                y[(t * hidden) + j] = h[j];
            }
        }

        return y;
    }
}
