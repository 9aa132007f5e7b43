using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeVoice.Nn;

namespace EdgeVoice.Cli;

/// <summary>`edgevoice info`: what a model file holds: metadata summary, file size, bytes and counts per storage type, sparsity.</summary>
public static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "The model file (.evm).", Required = true };
        var command = new Command("info", "Summarise a model file: metadata, size, parameter bytes per storage type, sparsity.");
        command.Options.Add(model);
        command.SetAction(parsed =>
        {
            string path = parsed.GetRequiredValue(model);
            ModelContainer file = ModelFile.LoadContainer(path);
            if (CompressCommand.IsTransducer(file.MetadataJson))
            {
                ModelFile.Load(path);
            }

            console.Output.Write(Describe(file, new FileInfo(path).Length));
            return 0;
        });
        return command;
    }

    internal static string Describe(ModelContainer file, long fileBytes)
    {
        var text = new System.Text.StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        using JsonDocument document = JsonDocument.Parse(file.MetadataJson);
        JsonElement root = document.RootElement;
        string Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : "-";

        Line($"file:          {file.Path}");
        Line(string.Create(CultureInfo.InvariantCulture, $"size:          {fileBytes:N0} bytes, format version {file.FormatVersion}"));
        Line($"name:          {Field("name")} ({Field("architecture")})");
        Line($"created:       {Field("created")}");
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out JsonElement sizes) && sizes.ValueKind == JsonValueKind.Object)
        {
            Line("model:         " + string.Join(", ", sizes.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}")));
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("compression", out JsonElement c) && c.ValueKind == JsonValueKind.Object)
        {
            Line("compression:   " + string.Join(", ", c.EnumerateObject().Select(p => $"{p.Name}={p.Value}")));
        }

        long parameters = 0, bytes = 0, zeros = 0;
        Line("storage        tensors   parameters        bytes");
        foreach (IGrouping<TensorStorage, ModelTensor> group in file.TensorNames.Select(file.GetTensor).GroupBy(t => t.Storage).OrderBy(g => g.Key))
        {
            long p = group.Sum(t => (long)t.Length), b = group.Sum(t => t.ByteCount);
            parameters += p;
            bytes += b;
            Line(string.Create(CultureInfo.InvariantCulture, $"{Name(group.Key),-14} {group.Count(),7} {p,12:N0} {b,12:N0}"));
        }

        foreach (ModelTensor t in file.TensorNames.Select(file.GetTensor))
        {
            zeros += t.Matrix is BlockSparseInt8Matrix s ? (long)(s.TotalBlocks - s.StoredBlocks) * BlockSparseInt8Matrix.BlockSize : 0;
        }

        Line(string.Create(CultureInfo.InvariantCulture, $"{"total",-14} {file.TensorNames.Count,7} {parameters:N0} parameters in {bytes:N0} bytes ({(double)bytes / Math.Max(parameters, 1):F2} bytes each; metadata and table {fileBytes - bytes:N0})"));
        double blockSparsity = CompressCommand.BlockSparsity(file.TensorNames.Select(file.GetTensor));
        Line(string.Create(CultureInfo.InvariantCulture, $"sparsity:      {blockSparsity:P1} of the 1x16 blocks of block-sparse matrices pruned; {(double)Math.Min(zeros, parameters) / Math.Max(parameters, 1):P1} of all parameters"));
        var sparse = file.TensorNames.Select(file.GetTensor).Where(t => t.Matrix is BlockSparseInt8Matrix).Select(t => (t.Name, Matrix: (BlockSparseInt8Matrix)t.Matrix!)).ToList();
        if (sparse.Count > 0)
        {
            Line(string.Create(
                CultureInfo.InvariantCulture,
                $"kernels:       on this CPU ({Int8Paths.Best}) a block-sparse matrix runs the dense int8 kernel when more than {BlockSparseInt8Matrix.DenseKernelAboveDensity:P0} (one frame) or {BlockSparseInt8Matrix.DenseKernelAboveDensityFrames:P0} (several frames) of its blocks are stored"));
            foreach ((string name, BlockSparseInt8Matrix m) in sparse)
            {
                Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {name,-38} {m.Rows,5}x{m.Columns,-5} {1 - m.BlockSparsity,6:P1} stored   one frame: {(m.UsesDenseKernel(1) ? "dense" : "sparse"),-6}  several: {(m.UsesDenseKernel(8) ? "dense" : "sparse")}"));
            }
        }

        return text.ToString();
    }

    private static string Name(TensorStorage s) => s switch
    {
        TensorStorage.Float32 => "float32",
        TensorStorage.Int8 => "int8",
        _ => "int8-sparse",
    };
}
