using EdgeVoice.Audio;
using EdgeVoice.Nn;

namespace EdgeVoice.Asr.Tests;

public sealed class RecognizerTests
{
    private static readonly TransducerModel Model = TransducerModel.Load(TinyModel.File);

    private static RecognitionResult Run(Recognizer recognizer, float[] signal, int piece, int rate = 16000)
    {
        using var stream = recognizer.CreateStream();
        for (int i = 0; i < signal.Length; i += piece)
        {
            stream.AcceptAudio(signal.AsSpan(i, Math.Min(piece, signal.Length - i)), rate);
        }

        stream.InputFinished();
        return stream.FinalResult;
    }

    [Fact]
    public void Model_metadata_drives_the_geometry()
    {
        Assert.Equal(32, Model.ChunkInputFrames);
        Assert.Equal(0.04, Model.FrameDuration, 9);
        Assert.Equal(TinyModel.Vocab, Model.VocabSize);
        Assert.Equal(16000, Model.SampleRate);
        Assert.Equal(80, Model.FeatureOptions.NumMelBins);
    }

    [Fact]
    public void Files_exported_before_the_encoder_norm_still_run_without_it()
    {
        TransducerModel old = TransducerModel.Load(TinyModel.FileWithoutEncoderNorm);
        Assert.True(Model.HasEncoderNorm);
        Assert.False(old.HasEncoderNorm);
        Assert.Contains("without encoder.norm", old.ToString());

        // Same weights except the LayerNorm: the encoders must differ, and only from the LSTM on.
        var random = new Random(4);
        var fbank = Enumerable.Range(0, 32 * 80).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var a = new float[8 * Model.EncoderOutputDim];
        var b = new float[8 * old.EncoderOutputDim];
        EncoderState stateA = Model.CreateEncoderState(), stateB = old.CreateEncoderState();
        Model.EncodeChunk(fbank, stateA, a, new FloatArena());
        old.EncodeChunk(fbank, stateB, b, new FloatArena());
        Assert.Equal(stateA.GlobalSum, stateB.GlobalSum);
        Assert.NotEqual(a, b);
        Assert.NotEmpty(new Recognizer(old, new RecognizerOptions()).Recognize(TinyModel.Signal(), 16000).TokenIds);
    }

    [Fact]
    public void The_linear_path_around_the_lstm_adds_skip_of_the_lstm_input_to_the_output()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-asr-tiny-skip-{Environment.ProcessId}.evm");
        TinyModel.Write(path, encoderSkip: true);
        try
        {
            TransducerModel skip = TransducerModel.Load(path);
            Assert.True(skip.HasEncoderSkip);
            Assert.False(Model.HasEncoderSkip);

            // Same weights otherwise and a zero skip weight, so the outputs differ by exactly the skip bias, every frame.
            var random = new Random(6);
            var fbank = Enumerable.Range(0, 32 * 80).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
            var a = new float[8 * skip.EncoderOutputDim];
            var b = new float[8 * Model.EncoderOutputDim];
            skip.EncodeChunk(fbank, skip.CreateEncoderState(), a, new FloatArena());
            Model.EncodeChunk(fbank, Model.CreateEncoderState(), b, new FloatArena());
            float[] bias = skip.File.GetTensor("encoder.skip.bias").ToArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - b[i] - bias[i % bias.Length]) < 1e-6, $"element {i}: {a[i]} - {b[i]} is not the bias {bias[i % bias.Length]}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encoder_gives_the_same_output_chunk_by_chunk_as_in_one_pass(bool encoderNorm)
    {
        TransducerModel model = encoderNorm ? Model : TransducerModel.Load(TinyModel.FileWithoutEncoderNorm);
        var random = new Random(1);
        int frames = 77;
        var fbank = Enumerable.Range(0, frames * 80).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var arena = new FloatArena();
        var whole = new float[TransducerModel.EncoderFramesFor(frames) * model.EncoderOutputDim];
        model.EncodeChunk(fbank, model.CreateEncoderState(), whole, arena);

        var state = model.CreateEncoderState();
        var chunked = new List<float>();
        for (int start = 0; start < frames; start += 32)
        {
            int n = Math.Min(32, frames - start);
            var output = new float[TransducerModel.EncoderFramesFor(n) * model.EncoderOutputDim];
            model.EncodeChunk(fbank.AsSpan(start * 80, n * 80), state, output, arena);
            chunked.AddRange(output);
        }

        Assert.Equal(whole.Length, chunked.Count);
        for (int i = 0; i < whole.Length; i++)
        {
            Assert.True(Math.Abs(whole[i] - chunked[i]) < 1e-5, $"element {i}: {whole[i]} vs {chunked[i]}");
        }

        Assert.Equal(TransducerModel.EncoderFramesFor(frames), (int)state.GlobalCount);
    }

    [Theory]
    [InlineData(DecodingMethod.Greedy)]
    [InlineData(DecodingMethod.ModifiedBeamSearch)]
    public void Results_do_not_depend_on_how_the_audio_is_split(DecodingMethod method)
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = method });
        float[] signal = TinyModel.Signal();
        RecognitionResult whole = Run(recognizer, signal, signal.Length);
        Assert.NotEmpty(whole.TokenIds);
        foreach (int piece in new[] { 1, 37, 160, 5000 })
        {
            RecognitionResult split = Run(recognizer, signal, piece);
            Assert.Equal(whole.TokenIds, split.TokenIds);
            Assert.Equal(whole.TokenFrames, split.TokenFrames);
            Assert.Equal(whole.Text, split.Text);
        }
    }

    [Theory]
    [InlineData(DecodingMethod.Greedy)]
    [InlineData(DecodingMethod.ModifiedBeamSearch)]
    public void A_stream_that_reuses_a_finished_streams_buffers_gives_what_a_fresh_model_gives(DecodingMethod method)
    {
        // Streams hand their scratch and decoder projection cache back to the model for the next stream; the
        // second stream must not see the first one's contexts as anything but the same pure function of the tokens.
        var options = new RecognizerOptions { DecodingMethod = method, BeamWidth = 4, NBestSize = 4 };
        float[] first = TinyModel.Signal(seconds: 3, seed: 21);
        float[] second = TinyModel.Signal(seconds: 4, seed: 22);
        RecognitionResult fresh = new Recognizer(TransducerModel.Load(TinyModel.File), options).Recognize(second, 16000);
        var shared = new Recognizer(TransducerModel.Load(TinyModel.File), options);
        RecognitionResult before = shared.Recognize(first, 16000);
        RecognitionResult reused = shared.Recognize(second, 16000);
        Assert.NotEmpty(before.TokenIds);
        Assert.Equal(fresh.NBest.Select(h => h.TokenIds.ToArray()), reused.NBest.Select(h => h.TokenIds.ToArray()));
        Assert.Equal(fresh.NBest.Select(h => h.Score), reused.NBest.Select(h => h.Score));
    }

    [Fact]
    public void Beam_of_one_finds_the_greedy_path()
    {
        float[] signal = TinyModel.Signal(seconds: 4, seed: 3);
        RecognitionResult greedy = new Recognizer(Model, new RecognizerOptions()).Recognize(signal, 16000);
        RecognitionResult beam = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 1 }).Recognize(signal, 16000);
        Assert.Equal(greedy.TokenIds, beam.TokenIds);
        Assert.Equal(greedy.Best.Score, beam.Best.Score, 3);
    }

    [Fact]
    public void Beam_search_returns_a_sorted_n_best_with_distinct_token_sequences()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = 6, NBestSize = 5 });
        RecognitionResult result = recognizer.Recognize(TinyModel.Signal(), 16000);
        Assert.Equal(5, result.NBest.Count);
        for (int i = 1; i < result.NBest.Count; i++)
        {
            Assert.True(result.NBest[i - 1].Score >= result.NBest[i].Score);
        }

        Assert.Equal(result.NBest.Count, result.NBest.Select(h => string.Join(",", h.TokenIds)).Distinct().Count());
    }

    [Theory]
    [InlineData(DecodingMethod.Greedy)]
    [InlineData(DecodingMethod.ModifiedBeamSearch)]
    public void The_blank_penalty_moves_the_balance_between_blank_and_tokens(DecodingMethod method)
    {
        float[] signal = TinyModel.Signal(seconds: 3, seed: 5);
        RecognitionResult At(float penalty) =>
            new Recognizer(Model, new RecognizerOptions { DecodingMethod = method, BlankPenalty = penalty }).Recognize(signal, 16000);

        RecognitionResult plain = At(0f), never = At(RecognizerOptions.MaxBlankPenalty), always = At(-RecognizerOptions.MaxBlankPenalty);

        // A blank 20 nats down loses every comparison: one token per frame (greedy and beam search emit at most one).
        Assert.Equal(never.FramesDecoded, never.TokenIds.Count);
        Assert.Equal(Enumerable.Range(0, never.FramesDecoded), never.TokenFrames);
        // 20 nats up, it wins every one: nothing is recognized.
        Assert.Empty(always.TokenIds);
        // In between, the penalty trades blanks for tokens: some setting gives a mix (this random model favours tokens).
        int[] counts = [.. Enumerable.Range(-12, 13).Select(p => At(p).TokenIds.Count)];
        Assert.Contains(counts, c => c > 0 && c < never.FramesDecoded);
        Assert.Equal(plain.TokenIds.Count, counts[^1]);
        Assert.Contains("blank penalty 20", new RecognizerOptions { BlankPenalty = 20f }.ToString());
        Assert.DoesNotContain("blank penalty", new RecognizerOptions().ToString());
    }

    [Fact]
    public void Words_have_times_confidences_and_scores_that_add_up()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch });
        RecognitionResult result = recognizer.Recognize(TinyModel.Signal(), 16000);
        Assert.Equal(result.Text, string.Join(' ', result.Words.Select(w => w.Text)));
        foreach (RecognizedWord w in result.Words)
        {
            Assert.True(w.End > w.Start);
            Assert.InRange(w.Confidence, 0f, 1f);
            Assert.Equal(w.StartFrame * 0.04, w.Start, 9);
        }

        for (int i = 0; i < result.TokenIds.Count; i++)
        {
            Assert.InRange(result.TokenFrames[i], 0, result.FramesDecoded - 1);
        }

        Assert.Equal(result.Best.Score, result.Words.Sum(w => w.AcousticScore), 6);
        Assert.Equal(result.Text, string.Concat(result.Tokens).Replace('\u2581', ' ').Trim());
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(22050)]
    [InlineData(48000)]
    public void Other_sample_rates_are_resampled(int rate)
    {
        float[] at16k = TinyModel.Signal(seconds: 2);
        float[] resampled = Resampler.Resample(at16k, 16000, rate);
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        RecognitionResult result = Run(recognizer, resampled, 999, rate);
        Assert.InRange(result.DecodedSeconds, 1.8, 2.1);
    }

    [Fact]
    public void Partial_results_grow_while_audio_arrives()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        using var stream = recognizer.CreateStream();
        float[] signal = TinyModel.Signal();
        Assert.Empty(stream.PartialResult.TokenIds);
        int lastFrames = 0;
        for (int i = 0; i < signal.Length; i += 3200)
        {
            stream.AcceptAudio(signal.AsSpan(i, 3200), 16000);
            Assert.False(stream.PartialResult.IsFinal);
            Assert.True(stream.FramesDecoded >= lastFrames);
            lastFrames = stream.FramesDecoded;
        }

        Assert.True(lastFrames > 0);
        stream.InputFinished();
        Assert.True(stream.FinalResult.IsFinal);
        Assert.Same(stream.FinalResult, stream.FinalResult);
    }

    [Fact]
    public void Misuse_raises_exceptions_that_say_what_to_do()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        var stream = recognizer.CreateStream();
        var e1 = Assert.Throws<InvalidOperationException>(() => stream.FinalResult);
        Assert.Contains("InputFinished", e1.Message);
        stream.AcceptAudio(new float[100], 16000);
        var e2 = Assert.Throws<InvalidOperationException>(() => stream.AcceptAudio(new float[100], 8000));
        Assert.Contains("16000 Hz", e2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.AcceptAudio(new float[100], 96000));
        Assert.Throws<ArgumentException>(() => stream.AcceptAudio(new[] { float.NaN }, 16000));
        stream.InputFinished();
        var e3 = Assert.Throws<InvalidOperationException>(() => stream.AcceptAudio(new float[100], 16000));
        Assert.Contains("CreateStream", e3.Message);
        stream.Dispose();
        Assert.Throws<ObjectDisposedException>(() => stream.AcceptAudio(new float[1], 16000));
        Assert.Throws<ObjectDisposedException>(() => stream.PartialResult);
        Assert.Throws<ObjectDisposedException>(() => stream.InputFinished());
        Assert.Throws<EmptyAudioException>(() => recognizer.Recognize(ReadOnlySpan<float>.Empty, 16000));
    }

    [Fact]
    public void Invalid_options_list_every_problem()
    {
        var options = new RecognizerOptions { BeamWidth = 0, MaxSymbolsPerFrame = 99, NBestSize = 0, BlankPenalty = float.NaN };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("BlankPenalty", e.Message);
        Assert.Throws<ArgumentException>(new RecognizerOptions { BlankPenalty = -25f }.Validate);
        Assert.Contains("BiasMaxAcousticLoss", Assert.Throws<ArgumentException>(new RecognizerOptions { BiasMaxAcousticLoss = -1f }.Validate).Message);
        Assert.Contains("BiasMaxAcousticLoss", Assert.Throws<ArgumentException>(new RecognizerOptions { BiasMaxAcousticLoss = float.NaN }.Validate).Message);
        new RecognizerOptions { BiasMaxAcousticLoss = 0f }.Validate();
        Assert.Contains("BeamWidth", e.Message);
        Assert.Contains("MaxSymbolsPerFrame", e.Message);
        Assert.Contains("NBestSize", e.Message);
        Assert.Throws<ArgumentException>(() => new Recognizer(new RecognizerOptions()));
    }

    [Fact]
    public void Missing_or_corrupt_models_fail_clearly()
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgevoice-asr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Assert.Throws<FileNotFoundException>(() => new Recognizer(new RecognizerOptions { ModelPath = Path.Combine(dir, "none.evm") }));
            byte[] bytes = File.ReadAllBytes(TinyModel.File);
            bytes[bytes.Length / 2] ^= 0x55;
            string corrupt = Path.Combine(dir, "corrupt.evm");
            File.WriteAllBytes(corrupt, bytes);
            var e = Assert.Throws<ModelFormatException>(() => new Recognizer(new RecognizerOptions { ModelPath = corrupt }));
            Assert.Contains("corrupt", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Feature_options_the_runtime_cannot_honour_are_refused()
    {
        string path = Path.Combine(Path.GetTempPath(), "edgevoice-asr-energy-" + Guid.NewGuid().ToString("N") + ".evm");
        try
        {
            TinyModel.Write(path, f =>
            {
                f["window_type"] = "kaiser";
                f["input_scale"] = "int24";
            });
            var e = Assert.Throws<ModelFormatException>(() => TransducerModel.Load(path));
            Assert.Contains("kaiser", e.Message);
            Assert.Contains("int24", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void One_recognizer_serves_streams_on_many_threads()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch });
        float[] signal = TinyModel.Signal();
        string expected = recognizer.Recognize(signal, 16000).Text;
        var texts = new string[8];
        Parallel.For(0, texts.Length, i => texts[i] = Run(recognizer, signal, 1000 + (i * 77)).Text);
        Assert.All(texts, t => Assert.Equal(expected, t));
    }

    [Fact]
    public void Streams_alive_together_keep_their_own_scratch_and_finished_streams_hand_theirs_on()
    {
        TransducerModel model = TransducerModel.Load(TinyModel.File);
        var recognizer = new Recognizer(model, new RecognizerOptions());
        float[] a = TinyModel.Signal(seconds: 2, seed: 1), b = TinyModel.Signal(seconds: 3, seed: 2);
        RecognitionResult aloneA = recognizer.Recognize(a, 16000), aloneB = recognizer.Recognize(b, 16000);
        Assert.NotEmpty(aloneA.TokenIds);

        using (RecognitionStream first = recognizer.CreateStream(), second = recognizer.CreateStream())
        {
            for (int i = 0; i < b.Length; i += 1600)
            {
                if (i < a.Length)
                {
                    first.AcceptAudio(a.AsSpan(i, Math.Min(1600, a.Length - i)), 16000);
                }

                second.AcceptAudio(b.AsSpan(i, Math.Min(1600, b.Length - i)), 16000);
            }

            first.InputFinished();
            second.InputFinished();
            Assert.Equal(aloneA.TokenIds, first.FinalResult.TokenIds);
            Assert.Equal(aloneB.TokenIds, second.FinalResult.TokenIds);
            Assert.Equal(aloneA.Text, first.FinalResult.Text);
            Assert.Equal(aloneB.Text, second.FinalResult.Text);
        }

        FloatArena given = model.RentScratch();
        model.ReturnScratch(given);
        Assert.Same(given, model.RentScratch());
        Assert.NotSame(given, model.RentScratch());
    }
}
