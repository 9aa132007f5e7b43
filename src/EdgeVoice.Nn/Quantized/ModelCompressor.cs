using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeVoice.Nn;

/// <summary>
/// Post-training compression of a model file's weight matrices: per-output-channel symmetric int8 quantization
/// and, optionally, magnitude pruning of 1×16 blocks. Matrices are the rank-2 weights of Linear and LSTM layers
/// (names ending in <c>.weight</c>, <c>weight_ih_l*</c>, <c>weight_hh_l*</c>) other than embeddings, with at least
/// <see cref="MinColumns"/> columns; everything else (biases, norms, convolutions, embeddings, CMVN) stays float32.
/// </summary>
public static class ModelCompressor
{
    /// <summary>Narrower matrices are left in float32 (too small to gain anything).</summary>
    public const int MinColumns = 16;

    /// <summary>Whether the compressor quantizes this tensor.</summary>
    public static bool IsWeightMatrix(ModelTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string leaf = tensor.Name[(tensor.Name.LastIndexOf('.') + 1)..];
        bool weight = leaf == "weight" || leaf.StartsWith("weight_ih_l", StringComparison.Ordinal) || leaf.StartsWith("weight_hh_l", StringComparison.Ordinal);
        return weight && tensor.Shape.Count == 2 && tensor.Shape[1] >= MinColumns && !tensor.Name.Contains("embedding", StringComparison.Ordinal);
    }

    /// <summary>
    /// Compresses <paramref name="tensors"/>: each weight matrix becomes int8 (<paramref name="sparsity"/> 0) or
    /// block-sparse int8 with that share of its blocks pruned. Already compressed matrices are dequantized first.
    /// </summary>
    public static List<ModelTensor> Compress(IEnumerable<ModelTensor> tensors, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (!(sparsity is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "The sparsity must be at least 0 and below 1.");
        }

        var result = new List<ModelTensor>();
        foreach (ModelTensor t in tensors)
        {
            if (!IsWeightMatrix(t))
            {
                result.Add(t.Storage == TensorStorage.Float32 ? t : ModelTensor.FromFloats(t.Name, t.Shape, t.Data));
                continue;
            }

            int rows = t.Shape[0], cols = t.Shape[1];
            IWeightMatrix m = sparsity > 0
                ? BlockSparseInt8Matrix.Prune(t.Data.Span, rows, cols, sparsity)
                : Int8Matrix.Quantize(t.Data.Span, rows, cols);
            result.Add(ModelTensor.FromMatrix(t.Name, t.Shape, m));
        }

        return result;
    }

    /// <summary>The metadata with <c>format_version</c> 2 and a <c>compression</c> record of what was done.</summary>
    public static string UpdateMetadata(string metadataJson, double sparsity, string source, IReadOnlyList<ModelTensor> compressed)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        JsonObject root = JsonNode.Parse(metadataJson)?.AsObject() ?? throw new ArgumentException("The metadata is not a JSON object.", nameof(metadataJson));
        root["format_version"] = 2;
        root["compression"] = new JsonObject
        {
            ["method"] = sparsity > 0 ? "post-training int8 + magnitude block pruning" : "post-training int8",
            ["weights"] = "int8 symmetric, one float32 scale per output channel",
            ["activations"] = "int8 symmetric, quantized per frame at run time",
            ["block"] = "1x16",
            ["target_sparsity"] = sparsity,
            ["quantized_tensors"] = compressed.Count(t => t.Storage != TensorStorage.Float32),
            ["source"] = source,
            ["tool"] = "edgevoice compress",
            ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
