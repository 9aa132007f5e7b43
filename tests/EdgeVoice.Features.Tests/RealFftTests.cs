namespace EdgeVoice.Features.Tests;

public sealed class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    [InlineData(1024)]
    public void MatchesNaiveDft(int size)
    {
        var fft = new RealFft(size);
        for (int seed = 0; seed < 3; seed++)
        {
            var x = TestData.RandomSignal(size, 100 + seed, 1.0f);
            var (re, im) = NaiveOracle.Dft(x);
            var fr = new float[fft.NumBins];
            var fi = new float[fft.NumBins];
            var power = new float[fft.NumBins];
            fft.Forward(x, fr, fi);
            fft.PowerSpectrum(x, power);

            // Float FFT error grows like log2(N) * eps * sqrt(N) * rms(x).
            double tolerance = 1e-6 * Math.Sqrt(size) * Math.Log2(size) * 4;
            for (int k = 0; k < fft.NumBins; k++)
            {
                Assert.True(Math.Abs(fr[k] - re[k]) < tolerance, $"N={size} re[{k}]: {fr[k]} vs {re[k]}");
                Assert.True(Math.Abs(fi[k] - im[k]) < tolerance, $"N={size} im[{k}]: {fi[k]} vs {im[k]}");
                double p = (re[k] * re[k]) + (im[k] * im[k]);
                Assert.True(Math.Abs(power[k] - p) < tolerance * (1 + (2 * Math.Sqrt(p))), $"N={size} power[{k}]: {power[k]} vs {p}");
            }
        }
    }

    [Fact]
    public void ImpulseAndConstantHaveKnownSpectra()
    {
        var fft = new RealFft(512);
        var x = new float[512];
        x[0] = 1.0f;
        var re = new float[257];
        var im = new float[257];
        fft.Forward(x, re, im);
        Assert.All(re, v => Assert.Equal(1.0f, v, 1e-6f));
        Assert.All(im, v => Assert.Equal(0.0f, v, 1e-6f));

        Array.Fill(x, 1.0f);
        fft.Forward(x, re, im);
        Assert.Equal(512.0f, re[0], 1e-3f);
        Assert.All(re.Skip(1), v => Assert.Equal(0.0f, v, 1e-3f));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(400)]
    public void RejectsSizesThatAreNotPowersOfTwo(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(size));
    }

    [Fact]
    public void RejectsWrongBufferLengths()
    {
        var fft = new RealFft(16);
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[15], new float[9], new float[9]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new float[16], new float[8], new float[9]));
        Assert.Throws<ArgumentException>(() => fft.PowerSpectrum(new float[16], new float[8]));
    }
}
