using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Nn.Tests;

/// <summary>
/// Writes .evm files the way training/model_file.py does (header, JSON, table, 64-byte aligned data,
/// SHA-256 trailer), plus a tiny convrnnt-v1 model whose pieces the tests can break one at a time.
/// </summary>
internal static class TestModelWriter
{
    public sealed record Tensor(string Name, long[] Shape, float[] Data, uint Dtype = 0);

    public static ModelDimensions TinyDimensions() => new()
    {
        NumMelBins = 9,
        SubsamplingChannels = 2,
        EncoderDim = 4,
        ConvKernel = 3,
        LstmHidden = 3,
        LstmLayers = 2,
        DecoderDim = 4,
        ContextSize = 2,
        JoinerDim = 5,
        VocabSize = 6,
        BlankId = 0,
        SubsamplingFactor = 4,
        ChunkSize = 2,
    };

    public static Dictionary<string, object?> Metadata(ModelDimensions d) => new()
    {
        ["architecture"] = "convrnnt-v1",
        ["name"] = "tiny",
        ["model"] = new Dictionary<string, object?>
        {
            ["num_mel_bins"] = d.NumMelBins,
            ["subsampling_channels"] = d.SubsamplingChannels,
            ["encoder_dim"] = d.EncoderDim,
            ["conv_kernel"] = d.ConvKernel,
            ["lstm_hidden"] = d.LstmHidden,
            ["lstm_layers"] = d.LstmLayers,
            ["decoder_dim"] = d.DecoderDim,
            ["context_size"] = d.ContextSize,
            ["joiner_dim"] = d.JoinerDim,
            ["vocab_size"] = d.VocabSize,
            ["blank_id"] = d.BlankId,
            ["subsampling_factor"] = d.SubsamplingFactor,
            ["chunk_size"] = d.ChunkSize,
        },
        ["features"] = new Dictionary<string, object?>
        {
            ["sample_frequency"] = 16000.0,
            ["frame_length_ms"] = 25.0,
            ["frame_shift_ms"] = 10.0,
            ["dither"] = 0.0,
            ["preemphasis_coefficient"] = 0.97,
            ["remove_dc_offset"] = true,
            ["window_type"] = "povey",
            ["round_to_power_of_two"] = true,
            ["snip_edges"] = true,
            ["num_mel_bins"] = d.NumMelBins,
            ["low_freq"] = 20.0,
            ["high_freq"] = -400.0,
            ["use_energy"] = false,
            ["energy_floor"] = 1.0,
            ["input_scale"] = "float",
        },
        ["tokenizer"] = new Dictionary<string, object?>
        {
            ["type"] = "sentencepiece-bpe",
            ["pieces"] = Enumerable.Range(0, d.VocabSize).Select(i => i == 0 ? "<blk>" : $"▁p{i}").ToArray(),
        },
        ["training"] = new Dictionary<string, object?> { ["steps"] = 0 },
    };

    public static List<Tensor> Tensors(ModelDimensions d, int seed = 3, bool encoderNorm = true, bool encoderSkip = false)
    {
        var random = new Random(seed);
        var list = new List<Tensor>();
        foreach ((string name, long[] shape) in ConvRnntTensorLayout.Expected(d, encoderNorm, encoderSkip))
        {
            float[] data = TestData.Uniform(random, (int)shape.Aggregate(1L, (a, b) => a * b));
            if (name == "cmvn.std")
            {
                data = data.Select(v => 1.5f + v).ToArray();
            }

            list.Add(new Tensor(name, shape, data));
        }

        return list;
    }

    public static byte[] Write(object metadata, IReadOnlyList<Tensor> tensors, uint version = 1) =>
        Write(JsonSerializer.SerializeToUtf8Bytes(metadata), tensors, version);

    public static byte[] Write(byte[] meta, IReadOnlyList<Tensor> tensors, uint version = 1)
    {
        var head = new List<byte>();
        head.AddRange("EVMODEL\0"u8.ToArray());
        head.AddRange(U32(version));
        head.AddRange(U32((uint)meta.Length));
        head.AddRange(meta);
        head.AddRange(U32((uint)tensors.Count));
        long tableSize = tensors.Sum(t => 4 + Encoding.UTF8.GetByteCount(t.Name) + 4 + 4 + (8 * t.Shape.Length) + 16);
        long offset = Align(head.Count + tableSize);
        var placed = new List<(long Offset, byte[] Bytes)>();
        foreach (Tensor t in tensors)
        {
            byte[] name = Encoding.UTF8.GetBytes(t.Name);
            byte[] data = new byte[t.Data.Length * 4];
            for (int i = 0; i < t.Data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), t.Data[i]);
            }

            head.AddRange(U32((uint)name.Length));
            head.AddRange(name);
            head.AddRange(U32(t.Dtype));
            head.AddRange(U32((uint)t.Shape.Length));
            foreach (long dim in t.Shape)
            {
                head.AddRange(U64((ulong)dim));
            }

            head.AddRange(U64((ulong)offset));
            head.AddRange(U64((ulong)data.Length));
            placed.Add((offset, data));
            offset = Align(offset + data.Length);
        }

        var body = new List<byte>(head);
        foreach ((long off, byte[] bytes) in placed)
        {
            body.AddRange(new byte[off - body.Count]);
            body.AddRange(bytes);
        }

        byte[] withoutTrailer = body.ToArray();
        return [.. withoutTrailer, .. SHA256.HashData(withoutTrailer)];
    }

    /// <summary>Recomputes the SHA-256 trailer after a deliberate edit, so only the edit is wrong.</summary>
    public static byte[] Reseal(byte[] file)
    {
        byte[] copy = (byte[])file.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32)).CopyTo(copy, copy.Length - 32);
        return copy;
    }

    private static long Align(long n) => (n + 63) / 64 * 64;

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }
}
