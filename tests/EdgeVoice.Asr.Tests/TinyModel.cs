using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Asr.Tests;

/// <summary>
/// Writes a small random convrnnt-v1 model file (.evm, as training/model_file.py lays it out) so the recognizer
/// tests run without a trained model. Its output is meaningless but exercises every path: it emits tokens.
/// </summary>
internal static class TinyModel
{
    public const int Mel = 80, Channels = 4, Enc = 16, Kernel = 4, Hidden = 16, Layers = 2, Dec = 8, Context = 2, Joiner = 8, Vocab = 12, Chunk = 8;

    public static readonly string[] Pieces = ["<blk>", "<unk>", "▁A", "B", "▁C", "D", "▁E", "F", "▁G", "H", "▁I", "J"];

    private static readonly Lazy<string> DefaultPath = new(() => Write(Path.Combine(Path.GetTempPath(), $"edgevoice-asr-tiny-{Environment.ProcessId}.evm")));

    private static readonly Lazy<string> OldPath = new(() =>
        Write(Path.Combine(Path.GetTempPath(), $"edgevoice-asr-tiny-old-{Environment.ProcessId}.evm"), encoderNorm: false));

    /// <summary>The path of a tiny model written once per test run (current layout: LayerNorm before the LSTM).</summary>
    public static string File => DefaultPath.Value;

    /// <summary>The same model as exported before commit ac11d74: no <c>encoder.norm</c> before the LSTM.</summary>
    public static string FileWithoutEncoderNorm => OldPath.Value;

    public static string Write(string path, Action<Dictionary<string, object?>>? editFeatures = null, int seed = 5, bool encoderNorm = true, bool encoderSkip = false,
        Action<Dictionary<string, object?>>? editMetadata = null)
    {
        int f1 = ((Mel - 3) / 2) + 1, f2 = ((f1 - 3) / 2) + 1;
        var tensors = new List<(string Name, long[] Shape)>
        {
            ("cmvn.mean", [Mel]), ("cmvn.std", [Mel]),
            ("encoder.subsampling.conv1.weight", [Channels, 1, 3, 3]), ("encoder.subsampling.conv1.bias", [Channels]),
            ("encoder.subsampling.conv2.weight", [Channels, Channels, 3, 3]), ("encoder.subsampling.conv2.bias", [Channels]),
            ("encoder.subsampling.out.weight", [Enc, Channels * f2]), ("encoder.subsampling.out.bias", [Enc]),
            ("encoder.conv_block.norm.weight", [Enc]), ("encoder.conv_block.norm.bias", [Enc]),
            ("encoder.conv_block.depthwise.weight", [Enc, 1, Kernel]), ("encoder.conv_block.depthwise.bias", [Enc]),
            ("encoder.conv_block.pointwise.weight", [Enc, Enc]), ("encoder.conv_block.pointwise.bias", [Enc]),
            ("encoder.global_block.norm.weight", [Enc]), ("encoder.global_block.norm.bias", [Enc]),
            ("encoder.global_block.gate.weight", [Enc, Enc]), ("encoder.global_block.gate.bias", [Enc]),
            ("encoder.global_block.proj.weight", [Enc, Enc]), ("encoder.global_block.proj.bias", [Enc]),
        };
        for (int l = 0; l < Layers; l++)
        {
            tensors.Add(($"encoder.lstm.weight_ih_l{l}", [4 * Hidden, l == 0 ? Enc : Hidden]));
            tensors.Add(($"encoder.lstm.weight_hh_l{l}", [4 * Hidden, Hidden]));
            tensors.Add(($"encoder.lstm.bias_ih_l{l}", [4 * Hidden]));
            tensors.Add(($"encoder.lstm.bias_hh_l{l}", [4 * Hidden]));
        }

        tensors.AddRange(
        [
            ("predictor.embedding.weight", [Vocab, Dec]), ("predictor.conv.weight", [Dec, 1, Context]),
            ("joiner.encoder_proj.weight", [Joiner, Hidden]), ("joiner.encoder_proj.bias", [Joiner]),
            ("joiner.decoder_proj.weight", [Joiner, Dec]), ("joiner.decoder_proj.bias", [Joiner]),
            ("joiner.output.weight", [Vocab, Joiner]), ("joiner.output.bias", [Vocab]),
        ]);
        if (encoderNorm)
        {
            // Last, so both variants draw the same values for every other tensor.
            tensors.Add(("encoder.norm.weight", [Enc]));
            tensors.Add(("encoder.norm.bias", [Enc]));
        }

        if (encoderSkip)
        {
            tensors.Add(("encoder.skip.weight", [Hidden, Enc]));
            tensors.Add(("encoder.skip.bias", [Hidden]));
        }

        var features = new Dictionary<string, object?>
        {
            ["sample_frequency"] = 16000.0, ["frame_length_ms"] = 25.0, ["frame_shift_ms"] = 10.0, ["dither"] = 0.0,
            ["preemphasis_coefficient"] = 0.97, ["remove_dc_offset"] = true, ["window_type"] = "povey",
            ["round_to_power_of_two"] = true, ["snip_edges"] = true, ["num_mel_bins"] = Mel, ["low_freq"] = 20.0,
            ["high_freq"] = -400.0, ["use_energy"] = false, ["energy_floor"] = 1.0, ["input_scale"] = "float",
        };
        editFeatures?.Invoke(features);
        var meta = new Dictionary<string, object?>
        {
            ["architecture"] = "convrnnt-v1",
            ["name"] = "tiny",
            ["model"] = new Dictionary<string, object?>
            {
                ["num_mel_bins"] = Mel, ["subsampling_channels"] = Channels, ["encoder_dim"] = Enc, ["conv_kernel"] = Kernel,
                ["lstm_hidden"] = Hidden, ["lstm_layers"] = Layers, ["decoder_dim"] = Dec, ["context_size"] = Context,
                ["joiner_dim"] = Joiner, ["vocab_size"] = Vocab, ["blank_id"] = 0, ["subsampling_factor"] = 4, ["chunk_size"] = Chunk,
            },
            ["features"] = features,
            ["tokenizer"] = new Dictionary<string, object?> { ["type"] = "sentencepiece-bpe", ["pieces"] = Pieces },
        };
        editMetadata?.Invoke(meta);

        var random = new Random(seed);
        var data = tensors.Select(t =>
        {
            int n = (int)t.Shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = t.Name switch
                {
                    "cmvn.mean" => 8f,
                    "cmvn.std" => 3f,
                    "encoder.norm.weight" => 1f + (0.5f * (float)random.NextDouble()),
                    "encoder.norm.bias" => 0.2f * (float)((random.NextDouble() * 2) - 1),
                    "encoder.skip.weight" => 0f,   // so the skip path adds exactly its bias (RecognizerTests)
                    _ => (float)((random.NextDouble() * 2) - 1) * (t.Name.StartsWith("joiner.output", StringComparison.Ordinal) ? 2f : 0.6f),
                };
            }

            return (t.Name, t.Shape, values);
        }).ToList();

        System.IO.File.WriteAllBytes(path, Serialize(JsonSerializer.SerializeToUtf8Bytes(meta), data));
        return path;
    }

    private static byte[] Serialize(byte[] meta, List<(string Name, long[] Shape, float[] Values)> tensors)
    {
        var header = new MemoryStream();
        var w = new BinaryWriter(header);
        w.Write("EVMODEL\0"u8.ToArray());
        w.Write(1u);
        w.Write((uint)meta.Length);
        w.Write(meta);
        w.Write((uint)tensors.Count);
        long tableLength = header.Length + tensors.Sum(t => 4 + Encoding.UTF8.GetByteCount(t.Name) + 4 + 4 + (8 * t.Shape.Length) + 16);
        long offset = Align(tableLength);
        var offsets = new List<long>();
        foreach (var t in tensors)
        {
            byte[] name = Encoding.UTF8.GetBytes(t.Name);
            w.Write((uint)name.Length);
            w.Write(name);
            w.Write(0u);
            w.Write((uint)t.Shape.Length);
            foreach (long d in t.Shape)
            {
                w.Write((ulong)d);
            }

            w.Write((ulong)offset);
            w.Write((ulong)(t.Values.Length * 4));
            offsets.Add(offset);
            offset = Align(offset + (t.Values.Length * 4));
        }

        for (int i = 0; i < tensors.Count; i++)
        {
            while (header.Length < offsets[i])
            {
                w.Write((byte)0);
            }

            foreach (float v in tensors[i].Values)
            {
                w.Write(v);
            }
        }

        w.Flush();
        byte[] body = header.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    private static long Align(long value) => (value + 63) / 64 * 64;

    /// <summary>A deterministic test signal: a few seconds of chirps and noise bursts at 16 kHz.</summary>
    public static float[] Signal(int seconds = 3, int seed = 11, int rate = 16000)
    {
        var random = new Random(seed);
        var x = new float[seconds * rate];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / rate;
            x[i] = (float)((0.3 * Math.Sin(2 * Math.PI * (200 + (150 * Math.Sin(3 * t))) * t) * (0.5 + (0.5 * Math.Sin(5 * t)))) + (0.05 * ((random.NextDouble() * 2) - 1)));
        }

        return x;
    }
}
