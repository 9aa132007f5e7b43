using System.Text.Json;
using EdgeVoice.Features;
using EdgeVoice.Nn;

namespace EdgeVoice.Asr.Tests;

/// <summary>
/// The C# transducer against PyTorch's outputs dumped by training/dump_golden.py: float32 (format version 1) models
/// and int8 / block-sparse int8 (version 2) models, whose goldens emulate the C# int8 arithmetic
/// (training/int8_emulation.py); the tolerance depends on the version (<see cref="GoldenSet.ParityTolerance"/>).
/// </summary>
public sealed class GoldenParityTests
{
    [Fact]
    public void Every_committed_model_has_goldens_dumped_from_that_very_file()
    {
        Assert.True(GoldenSet.Problems.Count == 0, string.Join(Environment.NewLine, GoldenSet.Problems));
    }

    [GoldenFact]
    public void Encoder_chunks_and_states_match_pytorch()
    {
        foreach (GoldenSet set in GoldenSet.All)
        {
            TransducerModel model = TransducerModel.Load(set.ModelPath);
            var checks = new ParityChecks(set);
            var d = model.Dimensions;
            foreach (JsonElement utt in set.Summary.GetProperty("utterances").EnumerateArray())
            {
                NpyArray fbank = set.Array(utt.GetProperty("fbank").GetString()!);
                float[] features = fbank.Values.Select(v => (float)v).ToArray();
                EncoderState state = model.CreateEncoderState();
                var arena = new FloatArena();
                int k = 0;
                foreach (JsonElement chunk in utt.GetProperty("chunks").EnumerateArray())
                {
                    int start = chunk.GetProperty("input_frames")[0].GetInt32(), end = chunk.GetProperty("input_frames")[1].GetInt32();
                    var output = new float[TransducerModel.EncoderFramesFor(end - start) * model.EncoderOutputDim];
                    model.EncodeChunk(features.AsSpan(start * d.NumMelBins, (end - start) * d.NumMelBins), state, output, arena);
                    string where = $"{set.Folder} {utt.GetProperty("id")} chunk {k}";
                    checks.Close(set.Array(chunk.GetProperty("encoder_out").GetString()!).Values, output, where + " encoder_out");

                    string[] states = chunk.GetProperty("states").EnumerateArray().Select(s => s.GetString()!).ToArray();
                    checks.Close(set.Array(states[0]).Values, state.SubsamplingCache1, where + " state0");
                    checks.Close(Transpose(set.Array(states[1]).Values, d.SubsamplingChannels, 2, d.SubsamplingBins1), state.SubsamplingCache2, where + " state1");
                    checks.Close(Transpose(set.Array(states[2]).Values, 1, d.EncoderDim, d.ConvKernel - 1), state.ConvBlockCache, where + " state2");
                    checks.Close(set.Array(states[3]).Values, state.GlobalSum, where + " state3");
                    checks.Close(set.Array(states[4]).Values, [state.GlobalCount], where + " state4");
                    checks.Close(set.Array(states[5]).Values, state.LstmHidden, where + " state5");
                    checks.Close(set.Array(states[6]).Values, state.LstmCell, where + " state6");
                    k++;
                }
            }

            checks.Finish();
        }
    }

    [GoldenFact]
    public void Predictor_and_joiner_match_pytorch()
    {
        foreach (GoldenSet set in GoldenSet.All)
        {
            TransducerModel model = TransducerModel.Load(set.ModelPath);
            var checks = new ParityChecks(set);
            JsonElement predictor = set.Summary.GetProperty("predictor");
            NpyArray contexts = set.Array(predictor.GetProperty("contexts").GetString()!);
            NpyArray expected = set.Array(predictor.GetProperty("output").GetString()!);
            int c = model.ContextSize, dim = model.DecoderDim;
            var output = new float[dim];
            for (int row = 0; row < contexts.Shape[0]; row++)
            {
                int[] context = contexts.Values.Skip(row * c).Take(c).Select(v => (int)v).ToArray();
                model.Predict(context, output);
                checks.Close(expected.Values.Skip(row * dim).Take(dim).ToArray(), output, $"predictor context [{string.Join(",", context)}]");
            }

            foreach (JsonElement utt in set.Summary.GetProperty("utterances").EnumerateArray())
            {
                double[] encoder = utt.GetProperty("chunks").EnumerateArray().SelectMany(ch => set.Array(ch.GetProperty("encoder_out").GetString()!).Values).ToArray();
                NpyArray logits = set.Array(utt.GetProperty("greedy_joiner_logits").GetString()!);
                int frames = logits.Shape[0], j = model.JoinerDim, h = model.EncoderOutputDim, v = model.VocabSize;
                var projected = new float[frames * j];
                model.ProjectEncoder(encoder.Select(x => (float)x).ToArray(), projected);
                var history = new List<int>();
                var dec = new float[j];
                var hidden = new float[j];
                var row = new float[v];
                var ctx = new int[c];
                for (int t = 0; t < frames; t++)
                {
                    for (int i = 0; i < c; i++)
                    {
                        int back = history.Count - c + i;
                        ctx[i] = back >= 0 ? history[back] : model.BlankId;
                    }

                    model.ProjectDecoder(ctx, dec, new float[model.DecoderDim]);
                    model.Join(projected.AsSpan(t * j, j), dec, hidden, row);
                    checks.Close(logits.Values.Skip(t * v).Take(v).ToArray(), row, $"{utt.GetProperty("id")} joiner frame {t}");
                    int best = ArgMax.Find(row);
                    if (best != model.BlankId)
                    {
                        history.Add(best);
                    }
                }

                Assert.True(encoder.Length == frames * h);
            }

            checks.Finish();
        }
    }

    [GoldenFact]
    public void Greedy_and_beam_token_ids_from_audio_match_pytorch()
    {
        foreach (GoldenSet set in GoldenSet.All)
        {
            TransducerModel model = TransducerModel.Load(set.ModelPath);
            var greedy = new Recognizer(model, new RecognizerOptions());
            foreach (JsonElement utt in set.Summary.GetProperty("utterances").EnumerateArray())
            {
                float[] samples = set.Array(utt.GetProperty("samples").GetString()!).Values.Select(x => (float)x).ToArray();
                int[] expected = utt.GetProperty("greedy").GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                RecognitionResult result = greedy.Recognize(samples, 16000);
                Assert.True(expected.SequenceEqual(result.TokenIds), $"{utt.GetProperty("id")} greedy: PyTorch [{string.Join(",", expected)}], C# [{string.Join(",", result.TokenIds)}]. Regenerate: {set.Regenerate}");
                Assert.Equal(utt.GetProperty("greedy").GetProperty("text").GetString(), result.Text);

                JsonElement beamInfo = utt.GetProperty("beam");
                var beam = new Recognizer(model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch, BeamWidth = beamInfo.GetProperty("beam").GetInt32() });
                int[] expectedBeam = beamInfo.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                RecognitionResult beamResult = beam.Recognize(samples, 16000);
                Assert.True(expectedBeam.SequenceEqual(beamResult.TokenIds), $"{utt.GetProperty("id")} beam: PyTorch [{string.Join(",", expectedBeam)}], C# [{string.Join(",", beamResult.TokenIds)}]");
            }
        }
    }

    [GoldenFact]
    public void Fbank_of_the_golden_samples_matches_pytorch()
    {
        foreach (GoldenSet set in GoldenSet.All)
        {
            TransducerModel model = TransducerModel.Load(set.ModelPath);
            foreach (JsonElement utt in set.Summary.GetProperty("utterances").EnumerateArray())
            {
                float[] samples = set.Array(utt.GetProperty("samples").GetString()!).Values.Select(x => (float)x).ToArray();
                NpyArray expected = set.Array(utt.GetProperty("fbank").GetString()!);
                var fbank = new OnlineFbank(model.FeatureOptions);
                fbank.AcceptWaveform(samples);
                fbank.InputFinished();
                var frames = new float[fbank.NumFramesReady * fbank.Dimension];
                fbank.ReadFrames(frames);
                Assert.Equal(expected.Shape[0], fbank.NumFramesReady);
                double max = expected.Values.Zip(frames, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(max < 1e-3, $"fbank differs by {max}");
            }
        }
    }

    private static double[] Transpose(double[] values, int outer, int rows, int cols)
    {
        // (outer, rows, cols) → (rows, outer, cols)
        var result = new double[values.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    if (outer == 1)
                    {
                        result[(c * rows) + r] = values[(r * cols) + c];
                    }
                    else
                    {
                        result[(((r * outer) + o) * cols) + c] = values[(((o * rows) + r) * cols) + c];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The comparisons of one test against one golden set. Format version 1: every check within
    /// <see cref="GoldenSet.FloatTolerance"/>. Version 2: every check within <see cref="GoldenSet.Int8MaxDifference"/>,
    /// and at least <see cref="GoldenSet.Int8MinShareWithinFloat"/> of them within the float tolerance (<see cref="Finish"/>).
    /// </summary>
    private sealed class ParityChecks(GoldenSet set)
    {
        private readonly List<(string What, double Worst)> _results = [];

        public void Close(double[] expected, ReadOnlySpan<float> actual, string what)
        {
            Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} values expected, {actual.Length} computed");
            double worst = 0;
            int at = -1;
            for (int i = 0; i < expected.Length; i++)
            {
                double diff = Math.Abs(expected[i] - actual[i]);
                if (diff > worst || double.IsNaN(diff))
                {
                    worst = double.IsNaN(diff) ? double.PositiveInfinity : diff;
                    at = i;
                }
            }

            double limit = set.ModelFormatVersion == 1 ? GoldenSet.FloatTolerance : GoldenSet.Int8MaxDifference;
            Assert.True(
                worst <= limit,
                $"{what}: max |difference| {worst:G3} at {at} exceeds {limit} (model format version {set.ModelFormatVersion}). " +
                $"If the model changed, regenerate with: {set.Regenerate}");
            _results.Add((what, worst));
        }

        public void Finish()
        {
            Assert.True(_results.Count > 0, $"{set.Folder}: nothing was compared");
            if (set.ModelFormatVersion == 1)
            {
                return;
            }

            var off = _results.Where(r => r.Worst > GoldenSet.FloatTolerance).ToList();
            double share = 1.0 - ((double)off.Count / _results.Count);
            Assert.True(
                share >= GoldenSet.Int8MinShareWithinFloat,
                $"{set.Folder}: only {share:P0} of {_results.Count} checks agree within {GoldenSet.FloatTolerance} (at least " +
                $"{GoldenSet.Int8MinShareWithinFloat:P0} must; the rest may differ by int8 rounding-boundary flips only), e.g. " +
                string.Join("; ", off.Take(5).Select(r => $"{r.What} {r.Worst:G3}")) + $". If the model changed, regenerate with: {set.Regenerate}");
        }
    }
}
