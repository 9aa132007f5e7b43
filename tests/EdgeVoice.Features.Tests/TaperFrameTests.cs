namespace EdgeVoice.Features.Tests;

public sealed class TaperFrameTests
{
    [Fact]
    public void SimdPassEqualsScalarFormulaForEveryLength()
    {
        for (int n = 2; n <= 70; n++)
        {
            var x = TestData.RandomSignal(n, n).Select(v => (double)v).ToArray();
            var w = TestData.RandomSignal(n, 1000 + n, 1.0f).Select(v => (double)v).ToArray();
            const double mean = 0.0123, c = 0.97;
            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                double previous = x[Math.Max(i - 1, 0)] - mean;
                expected[i] = ((x[i] - mean) - (c * previous)) * w[i];
            }

            var actual = new double[n + 3];
            FbankFrameProcessor.TaperFrame(x, mean, c, w, actual);
            Assert.Equal(new double[3], actual[n..]);
            var inPlace = x.ToArray();
            FbankFrameProcessor.TaperFrame(inPlace, mean, c, w, inPlace);
            for (int i = 0; i < n; i++)
            {
                Assert.True(expected[i] == actual[i], $"n={n}, i={i}: {actual[i]:R} instead of {expected[i]:R}");
                Assert.True(expected[i] == inPlace[i], $"in place, n={n}, i={i}: {inPlace[i]:R} instead of {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void WidenConvertsEveryLengthExactly()
    {
        for (int n = 0; n <= 40; n++)
        {
            var x = TestData.RandomSignal(n, 50 + n);
            var frame = new double[n];
            FbankFrameProcessor.Widen(x, frame);
            Assert.Equal(x.Select(v => (double)v).ToArray(), frame);
        }
    }
}
