using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeVoice.Nn;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice compress`: post-training int8 quantization (per output channel, symmetric) of a model file's weight
/// matrices, optionally with magnitude pruning of 1×16 blocks; writes a format-version-2 model file.
/// </summary>
public static class CompressCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "The model file (.evm) to compress (any format version).", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the compressed model file.", Required = true };
        var int8 = new Option<bool>("--int8") { Description = "Quantize Linear and LSTM weight matrices to int8 with one float32 scale per output channel (required: the only method so far)." };
        var sparsity = new Option<double>("--sparsity")
        {
            Description = "Also prune this share of each matrix's 1x16 weight blocks, smallest L2 norm first (0 to 0.95; default 0: dense int8).",
            DefaultValueFactory = _ => 0.0,
        };

        var command = new Command("compress", "Post-training int8 quantization and optional block pruning of a model file (docs/compression.md).");
        command.Options.Add(model);
        command.Options.Add(output);
        command.Options.Add(int8);
        command.Options.Add(sparsity);
        command.SetAction(parsed =>
        {
            string input = parsed.GetRequiredValue(model);
            string target = parsed.GetRequiredValue(output);
            double share = parsed.GetValue(sparsity);
            if (!parsed.GetValue(int8))
            {
                throw new CliUsageException("compress needs --int8 (post-training int8 quantization is the only method; --sparsity adds block pruning to it).");
            }

            if (!(share is >= 0 and <= 0.95))
            {
                throw new CliUsageException($"--sparsity must be between 0 and 0.95, got {share.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (Path.GetFullPath(input) == Path.GetFullPath(target))
            {
                throw new CliUsageException("--out must differ from --model (the input is never overwritten).");
            }

            ModelContainer source = ModelFile.LoadContainer(input);
            bool transducer = IsTransducer(source.MetadataJson);
            if (transducer)
            {
                ModelFile.Load(input);
            }

            List<ModelTensor> compressed = ModelCompressor.Compress(source.TensorNames.Select(source.GetTensor), share);
            string metadata = ModelCompressor.UpdateMetadata(source.MetadataJson, share, Path.GetFileName(input), compressed);
            long size = ModelFileWriter.Write(target, metadata, compressed);
            if (transducer)
            {
                ModelFile.Load(target);
            }
            else
            {
                ModelFile.LoadContainer(target);
            }

            long before = new FileInfo(input).Length;
            int matrices = compressed.Count(t => t.Storage != TensorStorage.Float32);
            double pruned = BlockSparsity(compressed);
            console.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{target}: {size:N0} bytes ({(double)size / before:P1} of {before:N0}); {matrices} weight matrices int8{(share > 0 ? $", {pruned:P1} of their 1x16 blocks pruned" : "")}; other tensors float32"));
            return 0;
        });
        return command;
    }

    internal static bool IsTransducer(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("architecture", out JsonElement a)
            && a.ValueKind == JsonValueKind.String && a.GetString() == ModelMetadata.ConvRnntV1;
    }

    /// <summary>Share of 1×16 blocks absent from the block-sparse tensors (0 when there are none).</summary>
    internal static double BlockSparsity(IEnumerable<ModelTensor> tensors)
    {
        long total = 0, stored = 0;
        foreach (ModelTensor t in tensors)
        {
            if (t.Matrix is BlockSparseInt8Matrix s)
            {
                total += s.TotalBlocks;
                stored += s.StoredBlocks;
            }
        }

        return total == 0 ? 0 : 1.0 - ((double)stored / total);
    }
}
