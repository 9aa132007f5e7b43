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
            var x = TestData.RandomSignal(size, 100 + seed, 1.0f).Select(v => (double)v).ToArray();
            var (re, im) = NaiveOracle.Dft(x);
            var fr = new double[fft.NumBins];
            var fi = new double[fft.NumBins];
            var power = new double[fft.NumBins];
            fft.Forward(x, fr, fi);
            fft.PowerSpectrum(x, power);

            // FFT rounding error grows like log2(N) * eps * sqrt(N) * rms(x); eps is 1.1e-16 in double.
            double tolerance = 1e-15 * Math.Sqrt(size) * Math.Log2(size) * 4;
            for (int k = 0; k < fft.NumBins; k++)
            {
                Assert.True(Math.Abs(fr[k] - re[k]) < tolerance, $"N={size} re[{k}]: {fr[k]} vs {re[k]}");
                Assert.True(Math.Abs(fi[k] - im[k]) < tolerance, $"N={size} im[{k}]: {fi[k]} vs {im[k]}");
                double p = (re[k] * re[k]) + (im[k] * im[k]);
                Assert.True(Math.Abs(power[k] - p) < tolerance * (1 + (2 * Math.Sqrt(p))), $"N={size} power[{k}]: {power[k]} vs {p}");
            }
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(512)]
    public void PowerSpectrumIsExactlyTheSquaredMagnitudeOfForward(int size)
    {
        // PowerSpectrum's vector loop must do per bin exactly what Forward's scalar split does, so that features do
        // not depend on the vector width: equal to the last bit.
        var fft = new RealFft(size);
        var x = TestData.RandomSignal(size, 7, 1.0f).Select(v => (double)v).ToArray();
        var re = new double[fft.NumBins];
        var im = new double[fft.NumBins];
        var power = new double[fft.NumBins];
        fft.Forward(x, re, im);
        fft.PowerSpectrum(x, power);
        for (int k = 0; k < fft.NumBins; k++)
        {
            Assert.Equal((re[k] * re[k]) + (im[k] * im[k]), power[k]);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(2048)]
    public void StagesRunInPairsGiveTheSameBitsAsStagesRunOneByOne(int size)
    {
        var fused = new RealFft(size);
        var single = new RealFft(size, fuseStagePairs: false);
        for (int seed = 0; seed < 3; seed++)
        {
            var x = TestData.RandomSignal(size, 40 + seed, 1.0f).Select(v => (double)v).ToArray();
            var (fr, fi) = (new double[fused.NumBins], new double[fused.NumBins]);
            var (sr, si) = (new double[fused.NumBins], new double[fused.NumBins]);
            fused.Forward(x, fr, fi);
            single.Forward(x, sr, si);
            Assert.Equal(sr, fr);
            Assert.Equal(si, fi);
        }
    }

    [Fact]
    public void ImpulseAndConstantHaveKnownSpectra()
    {
        var fft = new RealFft(512);
        var x = new double[512];
        x[0] = 1.0;
        var re = new double[257];
        var im = new double[257];
        fft.Forward(x, re, im);
        Assert.All(re, v => Assert.Equal(1.0, v, 1e-15));
        Assert.All(im, v => Assert.Equal(0.0, v, 1e-15));

        Array.Fill(x, 1.0);
        fft.Forward(x, re, im);
        Assert.Equal(512.0, re[0], 1e-12);
        Assert.All(re.Skip(1), v => Assert.Equal(0.0, v, 1e-12));
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
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[15], new double[9], new double[9]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[16], new double[8], new double[9]));
        Assert.Throws<ArgumentException>(() => fft.PowerSpectrum(new double[16], new double[8]));
    }
}
