namespace EdgeVoice.Features.Tests;

public sealed class TaperFrameTests
{
    [Fact]
    public void SimdPassEqualsScalarFormulaForEveryLength()
    {
        for (int n = 2; n <= 70; n++)
        {
            var x = TestData.RandomSignal(n, n);
            var w = TestData.RandomSignal(n, 1000 + n, 1.0f);
            const float mean = 0.0123f, c = 0.97f;
            var actual = new float[n];
            FbankFrameProcessor.TaperFrame(x, mean, c, w, actual);
            for (int i = 0; i < n; i++)
            {
                float previous = x[Math.Max(i - 1, 0)] - mean;
                float expected = ((x[i] - mean) - (c * previous)) * w[i];
                Assert.True(expected == actual[i], $"n={n}, i={i}: {actual[i]:R} instead of {expected:R}");
            }
        }
    }
}
