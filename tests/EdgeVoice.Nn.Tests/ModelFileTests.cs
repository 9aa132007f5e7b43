using System.Text;

namespace EdgeVoice.Nn.Tests;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgevoice-nn-" + Guid.NewGuid().ToString("N"));

    public ModelFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Valid_file_loads_with_typed_metadata_and_aligned_tensors()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var tensors = TestModelWriter.Tensors(d);
        string path = Save("ok.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors));

        ModelFile model = ModelFile.Load(path);
        ModelMetadata m = model.Metadata;
        Assert.Equal("convrnnt-v1", m.Architecture);
        Assert.Equal("tiny", m.Name);
        Assert.Equal(3, m.Dimensions.LstmHidden);
        Assert.Equal(2, m.Dimensions.LstmLayers);
        Assert.Equal(6, m.VocabSize);
        Assert.Equal(0, m.BlankId);
        Assert.Equal(4, m.SubsamplingFactor);
        Assert.Equal(2, m.ChunkSize);
        Assert.Equal(2, m.ContextSize);
        Assert.Equal(4, m.Dimensions.SubsamplingBins1);
        Assert.Equal(1, m.Dimensions.SubsamplingBins2);
        Assert.Equal("<blk>", m.Tokens[0]);
        Assert.Equal(16000.0, m.Features.SampleFrequency);
        Assert.Equal("povey", m.Features.WindowType);
        Assert.Contains("--high-freq=-400", m.Features.ToKaldiArguments());
        Assert.Contains("--snip-edges=true", m.Features.ToKaldiArguments());
        Assert.Contains("\"training\"", m.Json);

        Assert.Equal(tensors.Select(t => t.Name), model.TensorNames);
        foreach (var t in tensors)
        {
            ModelTensor loaded = model.GetTensor(t.Name);
            Assert.Equal(t.Shape.Select(x => (int)x), loaded.Shape);
            Assert.Equal(t.Data, loaded.ToArray());
            unsafe
            {
                fixed (float* p = loaded.Data.Span)
                {
                    Assert.Equal(0u, (uint)((nuint)p % 64));
                }
            }
        }

        Assert.Throws<KeyNotFoundException>(() => model.GetTensor("nope"));
        Assert.Equal(3, LstmLayer.FromModel(model, "encoder.lstm", 1).HiddenSize);
        Assert.Equal(5, Linear.FromModel(model, "joiner.encoder_proj").OutFeatures);
    }

    [Fact]
    public void Missing_file_is_a_file_not_found_naming_the_exporter()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelFile.Load(Path.Combine(_dir, "absent.evm")));
        Assert.Contains("training/export.py", e.Message);
    }

    [Fact]
    public void Wrong_magic_and_tiny_files_are_not_model_files()
    {
        AssertProblem(Save("text.evm", Encoding.UTF8.GetBytes("hello, this is not a model at all, not even close")), "magic bytes");
        AssertProblem(Save("short.evm", [0x45, 0x56]), "magic bytes");
    }

    [Theory]
    [InlineData(0u, "older than version 1")]
    [InlineData(3u, "newer than version 2")]
    public void Other_versions_say_which_side_is_older(uint version, string expected)
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        byte[] file = TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d), version);
        var e = AssertProblem(Save("v.evm", file), expected);
        Assert.Contains($"format version {version}", e.Message);
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum()
    {
        byte[] file = TinyFile();
        file[file.Length - 100] ^= 0x10;
        AssertProblem(Save("flip.evm", file), "SHA-256");
    }

    [Fact]
    public void Truncation_anywhere_is_reported_as_truncation()
    {
        byte[] file = TinyFile();
        foreach (int keep in new[] { 10, 20, 200, file.Length / 2, file.Length - 40, file.Length - 1 })
        {
            var e = AssertProblem(Save($"cut{keep}.evm", file[..keep]), "truncated");
            Assert.True(e.Message.Contains($"has {keep} bytes", StringComparison.Ordinal), e.Message);
        }
    }

    [Fact]
    public void Missing_extra_and_misshapen_tensors_are_all_named_at_once()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var tensors = TestModelWriter.Tensors(d);
        tensors.RemoveAll(t => t.Name == "encoder.lstm.bias_hh_l1");
        tensors.Add(new TestModelWriter.Tensor("encoder.extra.weight", [2], [1f, 2f]));
        int i = tensors.FindIndex(t => t.Name == "joiner.output.weight");
        tensors[i] = tensors[i] with { Shape = [5, 6], Data = new float[30] };
        var e = AssertProblem(Save("set.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "encoder.lstm.bias_hh_l1 [12] is missing");
        Assert.Contains("tensor encoder.extra.weight is not part of a convrnnt-v1 model", e.Message);
        Assert.Contains("tensor joiner.output.weight has shape [5, 6] but the metadata's sizes need [6, 5]", e.Message);
        Assert.Equal(3, e.Problems.Count);
    }

    [Fact]
    public void Reserved_dtypes_and_size_mismatches_are_named()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var tensors = TestModelWriter.Tensors(d);
        tensors[0] = tensors[0] with { Dtype = 1 };
        AssertProblem(Save("dtype.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "tensor cmvn.mean has dtype code 1 (int8 per-channel), which format version 1 does not allow (version 2 does)");

        tensors = TestModelWriter.Tensors(d);
        tensors[1] = tensors[1] with { Shape = [10] };
        AssertProblem(Save("bytes.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "tensor cmvn.std has shape [10] (40 bytes of float32) but 36 bytes");
    }

    [Fact]
    public void Metadata_problems_are_all_listed()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var meta = TestModelWriter.Metadata(d);
        meta["architecture"] = "conformer-v9";
        ((Dictionary<string, object?>)meta["model"]!).Remove("lstm_hidden");
        ((Dictionary<string, object?>)meta["features"]!)["snip_edges"] = "yes";
        var e = AssertProblem(Save("meta.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d))), "\"conformer-v9\"");
        Assert.True(e.Message.Contains("\"model.lstm_hidden\" is missing", StringComparison.Ordinal), e.Message);
        Assert.Contains("\"features.snip_edges\" is missing or not true/false", e.Message);

        meta = TestModelWriter.Metadata(d);
        ((Dictionary<string, object?>)meta["tokenizer"]!)["pieces"] = new[] { "<blk>", "a" };
        ((Dictionary<string, object?>)meta["model"]!)["blank_id"] = 6;
        e = AssertProblem(Save("tok.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d))), "has 2 pieces but \"model.vocab_size\" is 6");
        Assert.Contains("\"model.blank_id\" is 6, outside [0, 6)", e.Message);

        AssertProblem(Save("json.evm", TestModelWriter.Write(Encoding.UTF8.GetBytes("{not json"), TestModelWriter.Tensors(d))), "not valid JSON");
        AssertProblem(Save("utf8.evm", TestModelWriter.Write(new byte[] { 0x7b, 0xff, 0x7d }, TestModelWriter.Tensors(d))), "not valid UTF-8");
    }

    [Fact]
    public void Files_with_and_without_the_encoder_norm_both_load_and_say_which_they_are()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        ModelFile current = ModelFile.Load(Save("norm.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d))));
        Assert.True(current.HasEncoderNorm);
        Assert.Equal([4], current.GetTensor("encoder.norm.weight").Shape);
        Assert.Null(current.Metadata.DeclaredEncoderNorm);
        Assert.Equal(1e-5f, current.Metadata.LayerNormEpsilon);

        ModelFile old = ModelFile.Load(Save("old.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d, encoderNorm: false))));
        Assert.False(old.HasEncoderNorm);
        Assert.False(old.TryGetTensor("encoder.norm.weight", out _));

        var meta = TestModelWriter.Metadata(d);
        meta["encoder_norm"] = true;
        meta["layer_norm_eps"] = 1e-6;
        ModelFile declared = ModelFile.Load(Save("declared.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d))));
        Assert.True(declared.HasEncoderNorm);
        Assert.Equal(true, declared.Metadata.DeclaredEncoderNorm);
        Assert.Equal(1e-6f, declared.Metadata.LayerNormEpsilon);
    }

    [Fact]
    public void The_linear_path_around_the_lstm_is_optional_and_checked()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        ModelFile skip = ModelFile.Load(Save("skip.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d, encoderSkip: true))));
        Assert.True(skip.HasEncoderSkip);
        Assert.Equal([3, 4], skip.GetTensor("encoder.skip.weight").Shape);
        Assert.False(ModelFile.Load(Save("noskip.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d)))).HasEncoderSkip);

        var tensors = TestModelWriter.Tensors(d, encoderSkip: true);
        int i = tensors.FindIndex(t => t.Name == "encoder.skip.weight");
        tensors[i] = tensors[i] with { Shape = [4, 3] };
        AssertProblem(Save("skipshape.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "tensor encoder.skip.weight has shape [4, 3] but the metadata's sizes need [3, 4]");

        var meta = TestModelWriter.Metadata(d);
        meta["encoder_skip"] = false;
        AssertProblem(Save("skipmeta.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d, encoderSkip: true))), "\"encoder_skip\" is false but the file has encoder.skip tensors");
    }

    [Fact]
    public void An_encoder_norm_half_present_or_contradicting_the_metadata_is_named()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var tensors = TestModelWriter.Tensors(d);
        tensors.RemoveAll(t => t.Name == "encoder.norm.bias");
        var e = AssertProblem(Save("half.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "tensor encoder.norm.bias [4] is missing");
        Assert.Single(e.Problems);

        var meta = TestModelWriter.Metadata(d);
        meta["encoder_norm"] = true;
        e = AssertProblem(Save("claims.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d, encoderNorm: false))), "\"encoder_norm\" is true but the file has no encoder.norm tensors");
        Assert.Contains("tensor encoder.norm.weight [4] is missing", e.Message);

        meta["encoder_norm"] = "yes";
        meta["layer_norm_eps"] = -1;
        e = AssertProblem(Save("types.evm", TestModelWriter.Write(meta, TestModelWriter.Tensors(d))), "\"encoder_norm\" is \"yes\"; it must be true or false");
        Assert.Contains("\"layer_norm_eps\" is -1; it must be a number in (0, 1)", e.Message);
    }

    [Fact]
    public void Non_finite_weights_and_non_positive_std_are_rejected()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        var tensors = TestModelWriter.Tensors(d);
        int i = tensors.FindIndex(t => t.Name == "encoder.lstm.weight_hh_l0");
        tensors[i].Data[7] = float.NaN;
        int s = tensors.FindIndex(t => t.Name == "cmvn.std");
        tensors[s].Data[2] = 0f;
        var e = AssertProblem(Save("nan.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), tensors)), "tensor encoder.lstm.weight_hh_l0 holds NaN at index 7");
        Assert.Contains("cmvn.std has a value that is not positive", e.Message);
    }

    [Fact]
    public void Trailing_bytes_with_a_valid_checksum_are_reported()
    {
        byte[] file = TinyFile();
        byte[] longer = [.. file[..^32], 0, 0, 0, 0, .. file[^32..]];
        AssertProblem(Save("tail.evm", TestModelWriter.Reseal(longer)), "4 bytes after the last tensor");
    }

    private static byte[] TinyFile()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        return TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d));
    }

    private string Save(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ModelFormatException AssertProblem(string path, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {e.Message}");
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.False(string.IsNullOrWhiteSpace(e.Fix));
        return e;
    }
}
