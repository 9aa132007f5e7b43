using System.Text.Json;

namespace EdgeVoice.Lm;

/// <summary>What the runtime reads from an <c>lstm-lm-v1</c> model file's metadata (docs/language-models.md).</summary>
internal sealed record LstmLmMetadata(
    string Name, int VocabSize, int EmbedDim, int HiddenSize, int BosId, int EosId, int UnkId,
    string[] Pieces, float[] Scores, RescoringWeights? Weights)
{
    public const string Architecture = "lstm-lm-v1";

    /// <summary>Parses and validates the metadata; every problem is collected and reported at once.</summary>
    public static LstmLmMetadata Parse(string path, string json)
    {
        var problems = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new LanguageModelFormatException(path, 0, "the metadata is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LanguageModelFormatException(path, 0, "the metadata is not a JSON object");
            }

            string architecture = Str(root, "architecture");
            if (architecture != Architecture)
            {
                throw new LanguageModelFormatException(path, 0,
                    $"architecture is '{architecture}', not '{Architecture}': this is not an LSTM language model (re-export it with training/lm/export.py)");
            }

            string name = root.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(path);
            JsonElement model = Obj(root, "model");
            int vocab = Int(model, "vocab_size", 3), embed = Int(model, "embed_dim", 1), hidden = Int(model, "hidden_size", 1);
            int layers = Int(model, "layers", 1);
            if (layers != 1)
            {
                problems.Add($"model.layers is {layers}; this runtime runs 1-layer LSTMs");
            }

            JsonElement tok = Obj(root, "tokenizer");
            string type = Str(tok, "type");
            if (type != "sentencepiece-unigram")
            {
                problems.Add($"tokenizer.type is '{type}', expected 'sentencepiece-unigram'");
            }

            int bos = Int(tok, "bos_id", 0), eos = Int(tok, "eos_id", 0), unk = Int(tok, "unk_id", 0);
            string[] pieces = Array(tok, "pieces", JsonValueKind.String).Select(e => e.GetString()!).ToArray();
            float[] scores = Array(tok, "scores", JsonValueKind.Number).Select(e => e.GetSingle()).ToArray();
            if (pieces.Length != vocab || scores.Length != vocab)
            {
                problems.Add($"tokenizer has {pieces.Length} pieces and {scores.Length} scores for vocab_size {vocab}");
            }

            foreach (var (what, id) in new[] { ("bos_id", bos), ("eos_id", eos), ("unk_id", unk) })
            {
                if (id >= vocab)
                {
                    problems.Add($"tokenizer.{what} {id} is not below vocab_size {vocab}");
                }
            }

            string wordCase = tok.TryGetProperty("case", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            if (wordCase != "upper")
            {
                problems.Add($"tokenizer.case is '{wordCase}'; the recognizer's words are upper case, so the LM must be ('upper')");
            }

            RescoringWeights? weights = null;
            if (root.TryGetProperty("rescoring", out JsonElement r) && r.ValueKind == JsonValueKind.Object)
            {
                double lw = r.TryGetProperty("lm_weight", out JsonElement a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : double.NaN;
                double wb = r.TryGetProperty("word_insertion_bonus", out JsonElement b) && b.ValueKind == JsonValueKind.Number ? b.GetDouble() : double.NaN;
                weights = new RescoringWeights(lw, wb);
                try
                {
                    weights.Validate();
                }
                catch (ArgumentException e)
                {
                    problems.Add("rescoring: " + e.Message);
                }
            }

            if (problems.Count > 0)
            {
                throw new LanguageModelFormatException(path, 0, "invalid metadata: " + string.Join("; ", problems));
            }

            return new LstmLmMetadata(name, vocab, embed, hidden, bos, eos, unk, pieces, scores, weights);
        }

        string Str(JsonElement e, string key)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String)
            {
                return v.GetString()!;
            }

            problems.Add($"'{key}' is missing or not a string");
            return "";
        }

        int Int(JsonElement e, string key, int min)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= min)
            {
                return i;
            }

            problems.Add($"'{key}' is missing or not an integer ≥ {min}");
            return Math.Max(min, 1);
        }

        JsonElement Obj(JsonElement e, string key)
        {
            if (e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Object)
            {
                return v;
            }

            problems.Add($"'{key}' is missing or not an object");
            return default;
        }

        IEnumerable<JsonElement> Array(JsonElement e, string key, JsonValueKind kind)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Array)
            {
                var items = v.EnumerateArray().ToList();
                if (items.All(x => x.ValueKind == kind))
                {
                    return items;
                }

                problems.Add($"'{key}' holds a value that is not a {kind.ToString().ToLowerInvariant()}");
                return [];
            }

            problems.Add($"'{key}' is missing or not an array");
            return [];
        }
    }
}
