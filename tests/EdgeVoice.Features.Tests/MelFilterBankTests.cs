namespace EdgeVoice.Features.Tests;

public sealed class MelFilterBankTests
{
    [Theory]
    [InlineData(80, 512, 16000.0, 20.0, -400.0)]
    [InlineData(23, 512, 16000.0, 20.0, 0.0)]
    [InlineData(80, 256, 8000.0, 20.0, -400.0)]
    [InlineData(40, 1024, 16000.0, 60.0, 7000.0)]
    public void WeightsAndApplyMatchNaiveDenseBank(int bins, int fftSize, double rate, double low, double high)
    {
        var bank = new MelFilterBank(bins, fftSize, rate, low, high);
        var dense = NaiveOracle.TorchMelWeights(bins, fftSize, rate, low, high);
        var kaldiDouble = NaiveOracle.MelWeights(bins, fftSize, rate, low, high);
        Assert.Equal((fftSize / 2) + 1, bank.NumFftBins);
        for (int b = 0; b < bins; b++)
        {
            int first = bank.GetFirstFftBin(b);
            var w = bank.GetWeights(b);
            for (int k = 0; k < bank.NumFftBins; k++)
            {
                double actual = k >= first && k < first + w.Length ? w[k - first] : 0.0;
                Assert.True(actual == dense[b, k], $"bin {b}, fft bin {k}: {actual:R} instead of torchaudio's float32 {dense[b, k]:R}");

                // Float32 evaluation of mels near 2000-2800 (ulp 2.4e-4) over a spacing of about 33 mels.
                Assert.True(Math.Abs(actual - kaldiDouble[b, k]) < 2e-5, $"bin {b}, fft bin {k}: {actual} vs {kaldiDouble[b, k]} in double");
            }
        }

        var spectrum = TestData.RandomSignal(bank.NumFftBins, 7, 10.0f).Select(v => (double)MathF.Abs(v)).ToArray();
        var expected = NaiveOracle.ApplyMel(dense, spectrum);
        var actualEnergies = new double[bins];
        bank.Apply(spectrum, actualEnergies);
        for (int b = 0; b < bins; b++)
        {
            Assert.True(Math.Abs(actualEnergies[b] - expected[b]) <= 1e-13 * (1 + expected[b]), $"bin {b}: {actualEnergies[b]} vs {expected[b]}");
        }
    }

    [Fact]
    public void EveryFilterIsNonEmptyAndNyquistIsUnused()
    {
        var bank = new MelFilterBank(80, 512, 16000, 20, -400);
        for (int b = 0; b < bank.NumBins; b++)
        {
            Assert.NotEqual(0, bank.GetWeights(b).Length);
            Assert.True(bank.GetFirstFftBin(b) + bank.GetWeights(b).Length <= 256);
        }

        Assert.Equal(7600.0, bank.HighFreq);
    }

    [Fact]
    public void MelScaleRoundTrips()
    {
        foreach (double hz in new[] { 0.0, 20.0, 700.0, 3600.0, 7600.0 })
        {
            Assert.Equal(hz, MelFilterBank.InverseMelScale(MelFilterBank.MelScale(hz)), 9);
        }

        Assert.Equal(1127.0 * Math.Log(2.0), MelFilterBank.MelScale(700.0), 12);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(3, 512, 16000, 20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(80, 511, 16000, 20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(80, 512, 16000, 9000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(80, 512, 16000, 20, -9000));
        var bank = new MelFilterBank(80, 512, 16000, 20, 0);
        Assert.Throws<ArgumentException>(() => bank.Apply(new double[256], new double[80]));
        Assert.Throws<ArgumentException>(() => bank.Apply(new double[257], new double[79]));
    }
}
