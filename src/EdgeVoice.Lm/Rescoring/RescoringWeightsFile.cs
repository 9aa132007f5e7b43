using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeVoice.Lm;

/// <summary>
/// Tuned rescoring weights stored beside a language model: <c>&lt;model without extension&gt;.weights.json</c>
/// (e.g. models/lm-lstm.weights.json for models/lm-lstm.evm, models/lm-3gram.weights.json for
/// models/lm-3gram.arpa.gz), holding <c>lm_weight</c>, <c>word_insertion_bonus</c> and free-form notes on how they
/// were tuned. A neural model file may also carry them in its metadata (<see cref="LstmLanguageModel.TunedWeights"/>).
/// </summary>
public static class RescoringWeightsFile
{
    /// <summary>The sidecar path of <paramref name="modelPath"/>: its extensions (.evm, .arpa, .arpa.gz) replaced by ".weights.json".</summary>
    public static string PathFor(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        string dir = Path.GetDirectoryName(modelPath) ?? "";
        string name = Path.GetFileName(modelPath);
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return Path.Combine(dir, (dot > 0 ? name[..dot] : name) + ".weights.json");
    }

    /// <summary>Writes <paramref name="weights"/> (validated) and optional notes (e.g. the dev set and WERs) as JSON.</summary>
    public static void Save(string path, RescoringWeights weights, IReadOnlyDictionary<string, string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        var json = new JsonObject
        {
            ["lm_weight"] = weights.LmWeight,
            ["word_insertion_bonus"] = weights.WordInsertionBonus,
        };
        if (notes is not null)
        {
            var n = new JsonObject();
            foreach (var (k, v) in notes)
            {
                n[k] = v;
            }

            json["notes"] = n;
        }

        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads a weights file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="LanguageModelFormatException">Not JSON, a number missing, or invalid weights.</exception>
    public static RescoringWeights Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Rescoring weights file not found: {path}", path);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new LanguageModelFormatException(path, 0, "not valid JSON: " + e.Message, e);
        }

        double Number(string key) =>
            root is JsonObject o && o[key] is JsonValue v && v.TryGetValue(out double d)
                ? d
                : throw new LanguageModelFormatException(path, 0, $"'{key}' is missing or not a number");

        var weights = new RescoringWeights(Number("lm_weight"), Number("word_insertion_bonus"));
        try
        {
            weights.Validate();
        }
        catch (ArgumentException e)
        {
            throw new LanguageModelFormatException(path, 0, e.Message, e);
        }

        return weights;
    }

    /// <summary>The weights in the sidecar of <paramref name="modelPath"/> if it exists, else null.</summary>
    public static RescoringWeights? TryLoadFor(string modelPath)
    {
        string path = PathFor(modelPath);
        return File.Exists(path) ? Load(path) : null;
    }
}
