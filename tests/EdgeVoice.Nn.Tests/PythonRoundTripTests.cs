using System.Diagnostics;
using System.Text.Json;

namespace EdgeVoice.Nn.Tests;

/// <summary>
/// training/model_file.py writes a tiny random Transducer; the C# loader reads it and the C# layers
/// reproduce PyTorch's outputs for the same weights (Conv2d, LayerNorm, depthwise conv, 2-layer LSTM,
/// stateless predictor, joiner) within 1e-5 of max(|y|, 1).
/// </summary>
public sealed class PythonRoundTripTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgevoice-nn-py-" + Guid.NewGuid().ToString("N"));

    public PythonRoundTripTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PythonTorchFact]
    public void Model_written_by_training_loads_and_layers_match_pytorch()
    {
        string repo = FindRepo();
        string modelPath = Path.Combine(_dir, "tiny.evm");
        string goldenPath = Path.Combine(_dir, "golden.json");
        string script = Path.Combine(AppContext.BaseDirectory, "python", "write_tiny_model.py");
        using (var process = Process.Start(new ProcessStartInfo(PythonTorchFactAttribute.Python, [script, repo, modelPath, goldenPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!)
        {
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{script} failed: {errors}");
        }

        ModelFile model = ModelFile.Load(modelPath);
        ModelDimensions d = model.Metadata.Dimensions;
        Assert.Equal(6, d.LstmHidden);
        Assert.Equal(10, model.Metadata.Tokens.Count);
        Assert.Equal(80, model.Metadata.Features.NumMelBins);
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(goldenPath));
        float[] Golden(string name) => golden.RootElement.GetProperty(name).GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var arena = new FloatArena();

        var conv1 = CausalConv2d.FromModel(model, "encoder.subsampling.conv1", d.NumMelBins);
        float[] feats = Golden("feats");
        var y1 = new float[conv1.OutputFrames(feats.Length / d.NumMelBins) * conv1.OutFrameSize];
        conv1.Forward(feats, new float[conv1.HistoryLength], y1, arena);
        Activations.Relu(y1, y1);
        AssertMatches(Golden("conv1_relu"), y1, "conv1");

        float[] frames = Golden("frames");
        var norm = new float[frames.Length];
        LayerNorm.FromModel(model, "encoder.conv_block.norm").Forward(frames, norm);
        AssertMatches(Golden("conv_norm"), norm, "layer norm");
        Assert.True(model.HasEncoderNorm, "training/model.py has encoder.norm before the LSTM; the loader did not find it");
        LayerNorm.FromModel(model, "encoder.norm").Forward(frames, norm);
        AssertMatches(Golden("encoder_norm"), norm, "encoder.norm");
        Assert.Equal(golden.RootElement.TryGetProperty("encoder_skip", out _), model.HasEncoderSkip);
        if (model.HasEncoderSkip)
        {
            var skip = new float[frames.Length / d.EncoderDim * d.LstmHidden];
            Linear.FromModel(model, "encoder.skip").Forward(frames, skip);
            AssertMatches(Golden("encoder_skip"), skip, "encoder.skip");
        }

        var depthwise = CausalDepthwiseConv1d.FromModel(model, "encoder.conv_block.depthwise");
        var dw = new float[frames.Length];
        depthwise.Forward(frames, new float[depthwise.HistoryLength], dw);
        AssertMatches(Golden("depthwise"), dw, "depthwise");

        var lstm = Lstm.FromModel(model, "encoder.lstm", d.LstmLayers);
        var encoded = new float[frames.Length / d.EncoderDim * d.LstmHidden];
        lstm.Forward(frames, new float[lstm.StateLength], new float[lstm.StateLength], encoded, arena);
        AssertMatches(Golden("lstm"), encoded, "lstm");

        // Stateless predictor over the context (blank, 3): ReLU(depthwise conv of the two embeddings, no bias).
        var embedding = Embedding.FromModel(model, "predictor.embedding");
        var predictorConv = CausalDepthwiseConv1d.FromModel(model, "predictor.conv");
        var history = embedding[0].ToArray();
        var dec = new float[d.DecoderDim];
        predictorConv.Forward(embedding[3], history, dec);
        Activations.Relu(dec, dec);
        AssertMatches(Golden("predictor"), dec, "predictor");

        var encProj = new float[d.JoinerDim];
        var decProj = new float[d.JoinerDim];
        Linear.FromModel(model, "joiner.encoder_proj").Forward(encoded.AsSpan(encoded.Length - d.LstmHidden), encProj);
        Linear.FromModel(model, "joiner.decoder_proj").Forward(dec, decProj);
        System.Numerics.Tensors.TensorPrimitives.Add(encProj, decProj, encProj);
        Activations.Tanh(encProj, encProj);
        var logits = new float[d.VocabSize];
        Linear.FromModel(model, "joiner.output").Forward(encProj, logits);
        AssertMatches(Golden("logits"), logits, "joiner");
    }

    [PythonTorchTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Int8_model_written_by_training_loads_with_the_same_dequantized_values(bool sparse)
    {
        string repo = FindRepo();
        string quantized = Path.Combine(_dir, "int8.evm");
        string dequantized = Path.Combine(_dir, "deq.evm");
        string script = Path.Combine(AppContext.BaseDirectory, "python", "write_int8_model.py");
        using (var process = Process.Start(new ProcessStartInfo(PythonTorchFactAttribute.Python, [script, repo, quantized, dequantized, sparse ? "1" : "0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!)
        {
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{script} failed: {errors}");
        }

        ModelFile q = ModelFile.Load(quantized);
        ModelFile f = ModelFile.Load(dequantized);
        Assert.Equal(2, q.FormatVersion);
        Assert.Equal(1, f.FormatVersion);
        int compressed = 0;
        foreach (string name in f.TensorNames)
        {
            ModelTensor t = q.GetTensor(name);
            if (t.Storage != TensorStorage.Float32)
            {
                compressed++;
                Assert.Equal(sparse ? TensorStorage.BlockSparseInt8 : TensorStorage.Int8, t.Storage);
                Assert.Equal(f.GetTensor(name).ToArray(), t.Matrix!.Dequantize());
                if (t.Matrix is BlockSparseInt8Matrix s)
                {
                    Assert.InRange(s.BlockSparsity, 0.2, 0.5);
                }
            }

            Assert.Equal(f.GetTensor(name).ToArray(), t.ToArray());
        }

        Assert.Equal(12, compressed);
    }

    private static void AssertMatches(float[] expected, float[] actual, string what) =>
        TestData.AssertClose(expected.Select(v => (double)v).ToArray(), actual, 1e-5, 1, what);

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "training", "model_file.py")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("training/model_file.py not found above " + AppContext.BaseDirectory);
    }
}
