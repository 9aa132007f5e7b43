namespace EdgeVoice.Vorbis.Tests;

public sealed class ImdctTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(4096)]
    [InlineData(8192)]
    public void FastTransformMatchesNaiveDefinition(int n)
    {
        var random = new Random(n);
        var spectrum = new float[n / 2];
        for (int i = 0; i < spectrum.Length; i++)
        {
            spectrum[i] = (float)((random.NextDouble() * 2) - 1);
        }

        double[] expected = NaiveImdct.Inverse(spectrum);
        var actual = new float[n];
        new Imdct(n).Inverse(spectrum, actual);

        double scale = Math.Sqrt(n);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) < 2e-5 * scale, $"n={n} i={i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void SingleCoefficientGivesItsCosine()
    {
        const int n = 256;
        var spectrum = new float[n / 2];
        spectrum[3] = 1;
        var actual = new float[n];
        new Imdct(n).Inverse(spectrum, actual);
        for (int i = 0; i < n; i++)
        {
            double expected = Math.Cos(2 * Math.PI / n * (i + 0.5 + (n / 4.0)) * 3.5);
            Assert.True(Math.Abs(expected - actual[i]) < 1e-5, $"i={i}: {actual[i]} vs {expected}");
        }
    }

    [Fact]
    public void RejectsSizesThatAreNotPowersOfTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Imdct(96));
    }
}
