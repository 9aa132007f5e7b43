namespace EdgeVoice.Asr.Tests;

/// <summary>TorchaudioSincResampler against torchaudio.functional.resample (tests/data/golden/torchaudio-resample).</summary>
public sealed class TorchaudioSincResamplerTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(11025)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Matches_torchaudio_in_one_call_and_in_odd_pieces(int rate)
    {
        string folder = Path.Combine(GoldenSet.RepositoryRoot(), "tests", "data", "golden", "torchaudio-resample");
        float[] input = NpyArray.Read(Path.Combine(folder, $"{rate}.input.npy")).Values.Select(v => (float)v).ToArray();
        double[] expected = NpyArray.Read(Path.Combine(folder, $"{rate}.output.npy")).Values;
        foreach (int piece in new[] { input.Length, 1, 7, 160, 333 })
        {
            var resampler = new TorchaudioSincResampler(rate, 16000, lowpassFilterWidth: 6, rolloff: 0.99);
            var output = new List<float>();
            for (int i = 0; i < input.Length; i += piece)
            {
                resampler.Process(input.AsSpan(i, Math.Min(piece, input.Length - i)), output);
            }

            resampler.Flush(output);
            Assert.Equal(expected.Length, output.Count);
            double worst = expected.Zip(output, (a, b) => Math.Abs(a - b)).Max();
            // torchaudio builds the kernel in float32 (the waveform's dtype), this class in double: for the long
            // kernels of 11.025 and 22.05 kHz that differs by up to 1.6e-5 on samples of magnitude 0.5.
            Assert.True(worst < 5e-5, $"{rate} Hz in pieces of {piece}: max |difference| {worst:G3}");
        }
    }

    [Fact]
    public void Models_whose_metadata_names_torchaudio_resample_with_it_and_others_with_the_kaiser_resampler()
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgevoice-resample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Assert.False(TransducerModel.Load(TinyModel.File).ResamplesLikeTorchaudio);
            Assert.IsType<KaiserStreamResampler>(TransducerModel.Load(TinyModel.File).CreateResampler(8000));

            var torchaudio = new Dictionary<string, object?>
            {
                ["function"] = "torchaudio.functional.resample", ["resampling_method"] = "sinc_interpolation",
                ["lowpass_filter_width"] = 6, ["rolloff"] = 0.99, ["beta"] = null,
            };
            TransducerModel model = TransducerModel.Load(TinyModel.Write(Path.Combine(dir, "t.evm"), editMetadata: m => m["resample"] = torchaudio));
            Assert.True(model.ResamplesLikeTorchaudio);
            Assert.IsType<TorchaudioSincResampler>(model.CreateResampler(8000));

            // The recognizer resamples 8 kHz input exactly as torchaudio did: same tokens as the torchaudio-resampled 16 kHz audio.
            float[] signal = TinyModel.Signal(seconds: 2, rate: 8000);
            var resampler = new TorchaudioSincResampler(8000, 16000, 6, 0.99);
            var resampled = new List<float>();
            resampler.Process(signal, resampled);
            resampler.Flush(resampled);
            var recognizer = new Recognizer(model, new RecognizerOptions());
            Assert.Equal(recognizer.Recognize(resampled.ToArray(), 16000).TokenIds, recognizer.Recognize(signal, 8000).TokenIds);

            torchaudio["resampling_method"] = "kaiser_window";
            var e = Assert.Throws<EdgeVoice.Nn.ModelFormatException>(() =>
                TransducerModel.Load(TinyModel.Write(Path.Combine(dir, "k.evm"), editMetadata: m => m["resample"] = torchaudio)));
            Assert.Contains("sinc_interpolation", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
