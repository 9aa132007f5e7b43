using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Nn.Tests;

/// <summary>Format version 2: int8 (dtype 1) and block-sparse int8 (dtype 2) tensors, their checks, and the layers running them.</summary>
public sealed class ModelFileV2Tests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "edgevoice-nn-v2-" + Guid.NewGuid().ToString("N"));

    public ModelFileV2Tests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Sizes where most matrices are wide enough (≥ 16 columns) to be compressed, with widths that are not multiples of 16.</summary>
    internal static ModelDimensions SmallDimensions() => new()
    {
        NumMelBins = 20,
        SubsamplingChannels = 4,
        EncoderDim = 24,
        ConvKernel = 3,
        LstmHidden = 20,
        LstmLayers = 2,
        DecoderDim = 16,
        ContextSize = 2,
        JoinerDim = 18,
        VocabSize = 11,
        BlankId = 0,
        SubsamplingFactor = 4,
        ChunkSize = 2,
    };

    [Fact]
    public void Float_only_files_are_written_as_version_1_byte_for_byte_like_the_test_writer()
    {
        ModelDimensions d = TestModelWriter.TinyDimensions();
        string meta = JsonSerializer.Serialize(TestModelWriter.Metadata(d));
        var tensors = TestModelWriter.Tensors(d);
        byte[] expected = TestModelWriter.Write(Encoding.UTF8.GetBytes(meta), tensors);
        byte[] written = ModelFileWriter.ToBytes(meta, tensors.Select(t => ModelTensor.FromFloats(t.Name, t.Shape.Select(x => (int)x).ToArray(), t.Data)).ToList());
        Assert.Equal(expected, written);
        Assert.Equal(1, ModelFile.Load(Save("v1.evm", written)).FormatVersion);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public void Compressed_files_load_and_their_layers_run_the_int8_kernels(double sparsity)
    {
        ModelDimensions d = SmallDimensions();
        ModelFile fp32 = ModelFile.Load(Save("fp32.evm", TestModelWriter.Write(TestModelWriter.Metadata(d), TestModelWriter.Tensors(d))));
        List<ModelTensor> compressed = ModelCompressor.Compress(fp32.TensorNames.Select(fp32.GetTensor), sparsity);
        string meta = ModelCompressor.UpdateMetadata(JsonSerializer.Serialize(TestModelWriter.Metadata(d)), sparsity, "fp32.evm", compressed);
        string path = Save("int8.evm", ModelFileWriter.ToBytes(meta, compressed));

        ModelFile model = ModelFile.Load(path);
        Assert.Equal(2, model.FormatVersion);
        TensorStorage expected = sparsity > 0 ? TensorStorage.BlockSparseInt8 : TensorStorage.Int8;
        foreach (string name in new[] { "encoder.subsampling.out.weight", "encoder.lstm.weight_ih_l0", "encoder.lstm.weight_hh_l1", "joiner.output.weight", "joiner.encoder_proj.weight" })
        {
            ModelTensor t = model.GetTensor(name);
            Assert.Equal(expected, t.Storage);
            Assert.Equal(fp32.GetTensor(name).Shape, t.Shape);
            Assert.Equal(compressed.Single(c => c.Name == name).Matrix!.Dequantize(), t.Data.ToArray());
        }

        Assert.Equal(TensorStorage.Float32, model.GetTensor("predictor.embedding.weight").Storage);
        Assert.Equal(TensorStorage.Float32, model.GetTensor("encoder.subsampling.conv1.weight").Storage);
        Assert.Equal(fp32.GetTensor("cmvn.std").Data.ToArray(), model.GetTensor("cmvn.std").Data.ToArray());
        if (sparsity > 0)
        {
            var lstm = (BlockSparseInt8Matrix)model.GetTensor("encoder.lstm.weight_hh_l0").Matrix!;
            Assert.InRange(lstm.BlockSparsity, sparsity - 0.02, sparsity + 0.02);
        }

        ModelTensor w = model.GetTensor("joiner.output.weight");
        Linear layer = Linear.FromModel(model, "joiner.output");
        Assert.Equal(expected, layer.Storage);
        var random = new Random(4);
        float[] x = TestData.Uniform(random, 3 * d.JoinerDim);
        var y = new float[3 * d.VocabSize];
        layer.Forward(x, y);
        sbyte[] q = ToDenseInt8(w.Matrix!, out float[] scales);
        float[] oracle = Int8Oracle.Multiply(q, scales, x, model.GetTensor("joiner.output.bias").ToArray(), 3, d.VocabSize, d.JoinerDim);
        Assert.Equal(oracle, y);

        // The fp32 and int8 LSTMs agree to within quantization error.
        Lstm a = Lstm.FromModel(fp32, "encoder.lstm", d.LstmLayers), b = Lstm.FromModel(model, "encoder.lstm", d.LstmLayers);
        float[] input = TestData.Uniform(random, 4 * d.EncoderDim);
        float[] ya = RunLstm(a, input, 4), yb = RunLstm(b, input, 4);
        double maxDiff = ya.Zip(yb, (p, r) => Math.Abs(p - r)).Max();
        Assert.True(maxDiff < (sparsity > 0 ? 0.6 : 0.08), $"max |fp32 - int8| = {maxDiff}");
    }

    [Fact]
    public void Version_1_files_may_not_hold_int8_tensors()
    {
        byte[] file = SingleTensorFile(DenseTensor(), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 1);
        AssertProblem(Save("v1int8.evm", TestModelWriter.Reseal(file)), "has dtype code 1 (int8 per-channel), which format version 1 does not allow");
    }

    [Fact]
    public void Bad_scales_and_values_of_int8_tensors_are_named()
    {
        var random = new Random(3);
        sbyte[] values = Int8Oracle.RandomInt8(random, 4 * 20);
        AssertProblem(WriteContainer(new Int8Matrix(values, new[] { 1f, float.NaN, 1f, 1f }, 4, 20)), "has scale NaN for row 1; scales must be finite and positive");
        AssertProblem(WriteContainer(new Int8Matrix(values, new[] { 1f, 1f, 0f, 1f }, 4, 20)), "has scale 0 for row 2");
        sbyte[] bad = (sbyte[])values.Clone();
        bad[33] = sbyte.MinValue;
        AssertProblem(WriteContainer(new Int8Matrix(bad, new[] { 1f, 1f, 1f, 1f }, 4, 20)), "holds -128 at value 33");
    }

    [Fact]
    public void Int8_byte_counts_must_match_the_shape()
    {
        byte[] file = SingleTensorFile(DenseTensor(), out int entry);
        ulong nbytes = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(entry + 8));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(entry + 8), nbytes - 1);
        AssertProblem(Save("short.evm", TestModelWriter.Reseal(file[..^1])), "(96 bytes of scales and int8) but 95 bytes");
    }

    [Fact]
    public void Block_bitmaps_must_agree_with_the_stored_blocks()
    {
        var random = new Random(6);
        int rows = 5, cols = 40;
        sbyte[] values = Int8Oracle.BlockSparse(random, rows, cols, 0.5);
        var matrix = BlockSparseInt8Matrix.FromDense(values, Int8Oracle.PositiveScales(random, rows), rows, cols);
        byte[] file = SingleTensorFile(ModelTensor.FromMatrix("w.weight", [rows, cols], matrix), out int entry);
        int data = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(entry));
        int bitmap = data + (4 * rows);

        // A bit past the 15 blocks (byte 1, bit 7).
        byte[] past = (byte[])file.Clone();
        past[bitmap + 1] |= 0x80;
        AssertProblem(Save("past.evm", TestModelWriter.Reseal(past)), "has 1 bits set in its block bitmap past its 15 blocks");

        // One more block marked than stored (flip a clear bit among the first 15).
        byte[] extra = (byte[])file.Clone();
        int clear = Enumerable.Range(0, 15).First(b => (file[bitmap + (b >> 3)] & (1 << (b & 7))) == 0);
        extra[bitmap + (clear >> 3)] |= (byte)(1 << (clear & 7));
        AssertProblem(Save("extra.evm", TestModelWriter.Reseal(extra)), $"marks {matrix.StoredBlocks + 1} non-zero blocks in its bitmap but stores {matrix.StoredBlocks}");

        // A non-zero value in the padding columns 40..47 of a row's last block.
        var full = new sbyte[rows * cols];
        full.AsSpan().Fill(1);
        var dense = BlockSparseInt8Matrix.FromDense(full, new[] { 1f, 1f, 1f, 1f, 1f }, rows, cols);
        byte[] padded = SingleTensorFile(ModelTensor.FromMatrix("w.weight", [rows, cols], dense), out entry);
        data = (int)BinaryPrimitives.ReadUInt64LittleEndian(padded.AsSpan(entry));
        int lastBlockOfRow0 = data + (4 * rows) + BlockSparseInt8Matrix.BitmapBytes(rows, cols) + (2 * 16);
        padded[lastBlockOfRow0 + 9] = 5;
        AssertProblem(Save("pad.evm", TestModelWriter.Reseal(padded)), "has non-zero values past column 40 in the last block of row 0");
    }

    [Fact]
    public void Unknown_dtypes_are_named()
    {
        byte[] file = SingleTensorFile(DenseTensor(), out int entry);
        int dtypeAt = entry - 4 - 4 - 16;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(dtypeAt), 7);
        AssertProblem(Save("dtype7.evm", TestModelWriter.Reseal(file)), "has unknown dtype code 7");
    }

    private static ModelTensor DenseTensor()
    {
        var random = new Random(2);
        return ModelTensor.FromMatrix("w.weight", [4, 20], new Int8Matrix(Int8Oracle.RandomInt8(random, 80), new[] { 1f, 2f, 3f, 4f }, 4, 20));
    }

    private static float[] RunLstm(Lstm lstm, float[] input, int frames)
    {
        var h = new float[lstm.StateLength];
        var c = new float[lstm.StateLength];
        var y = new float[frames * lstm.HiddenSize];
        lstm.Forward(input, h, c, y, new FloatArena());
        return y;
    }

    private static sbyte[] ToDenseInt8(IWeightMatrix m, out float[] scales)
    {
        float[] f = m.Dequantize();
        scales = m switch
        {
            Int8Matrix d => d.Scales.ToArray(),
            BlockSparseInt8Matrix s => s.Scales.ToArray(),
            _ => throw new ArgumentException("unknown storage"),
        };
        var q = new sbyte[f.Length];
        for (int i = 0; i < f.Length; i++)
        {
            q[i] = (sbyte)Math.Round(f[i] / scales[i / m.Columns]);
        }

        return q;
    }

    /// <summary>A container with one tensor; <paramref name="entry"/> is the position of its table entry's offset field.</summary>
    private static byte[] SingleTensorFile(ModelTensor tensor, out int entry)
    {
        const string meta = "{}";
        entry = 16 + meta.Length + 4 + 4 + Encoding.UTF8.GetByteCount(tensor.Name) + 8 + (8 * tensor.Shape.Count);
        return ModelFileWriter.ToBytes(meta, [tensor]);
    }

    private string WriteContainer(IWeightMatrix m) =>
        Save(Guid.NewGuid().ToString("N") + ".evm", SingleTensorFile(ModelTensor.FromMatrix("w.weight", [m.Rows, m.Columns], m), out _));

    private string Save(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertProblem(string path, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.LoadContainer(path));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {e.Message}");
    }
}
