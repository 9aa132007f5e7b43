using System.Runtime.Intrinsics;

namespace EdgeVoice.Nn.Tests;

public sealed class LstmCellTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(256)]
    public void Cell_update_matches_double_precision(int hidden)
    {
        var random = new Random(hidden);
        float[] gates = TestData.Uniform(random, 4 * hidden, 12f); // saturating values too
        gates[0] = 90f;                                            // e^-x underflows; e^x would overflow
        gates[4 * hidden - 1] = -90f;
        float[] cell = TestData.Uniform(random, hidden, 3f);
        double[] c = cell.Select(v => (double)v).ToArray();
        double[] expectedH = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double i = Sigmoid(gates[j]), f = Sigmoid(gates[hidden + j]), g = Math.Tanh(gates[(2 * hidden) + j]), o = Sigmoid(gates[(3 * hidden) + j]);
            c[j] = (f * c[j]) + (i * g);
            expectedH[j] = o * Math.Tanh(c[j]);
        }

        var paths = new List<(string Name, Action<float[], float[], float[]> Run)> { ("separate passes", (g, cl, hd) => LstmCell.Separate(g, cl, hd)) };
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            paths.Add(("fused 512-bit", (g, cl, hd) => LstmCell.Fused512(g, cl, hd)));
        }

        foreach ((string name, Action<float[], float[], float[]> run) in paths)
        {
            float[] g = (float[])gates.Clone(), cl = (float[])cell.Clone(), hd = new float[hidden];
            run(g, cl, hd);
            for (int j = 0; j < hidden; j++)
            {
                Assert.True(Math.Abs(cl[j] - c[j]) <= 2e-6 * (1 + Math.Abs(c[j])), $"{name} cell {j}: {cl[j]} vs {c[j]}");
                Assert.True(Math.Abs(hd[j] - expectedH[j]) <= 2e-6, $"{name} hidden {j}: {hd[j]} vs {expectedH[j]}");
            }
        }
    }

    [Fact]
    public void Single_precision_exp_is_within_two_ulp_over_its_range()
    {
        if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            return; // the 512-bit exponential only runs where 512-bit vectors do
        }

        var random = new Random(7);
        double worst = 0;
        for (int k = 0; k < 20000; k++)
        {
            float x = k < 3 ? new[] { -87.3f, 0f, 88.3f }[k] : (float)((random.NextDouble() * 175.6) - 87.3);
            float got = LstmCell.Exp(System.Runtime.Intrinsics.Vector512.Create(x)).GetElement(0);
            double want = Math.Exp(x);
            double ulp = Math.Abs(MathF.BitIncrement((float)want) - (float)want);
            worst = Math.Max(worst, Math.Abs(got - want) / ulp);
        }

        Assert.True(worst <= 2.0, $"worst error {worst:F2} ulp");
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
