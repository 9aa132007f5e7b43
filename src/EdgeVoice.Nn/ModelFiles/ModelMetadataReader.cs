using System.Text.Json;

namespace EdgeVoice.Nn;

/// <summary>
/// Turns the metadata JSON into <see cref="ModelMetadata"/>, collecting every problem instead of stopping at
/// the first. Expected layout (docs/engine.md): <c>architecture</c>, optional <c>name</c>, <c>model</c>
/// (Params.MODEL_FIELDS), <c>features</c> (FEATURE_OPTIONS), <c>tokenizer.pieces</c>, optional
/// <c>layer_norm_eps</c> (positive; 1e-5 when absent), optional <c>encoder_norm</c> and <c>encoder_skip</c>
/// (true/false: whether the LayerNorm before the LSTM and the linear path around it exist); other keys are kept in <see cref="ModelMetadata.Json"/> only.
/// </summary>
internal static class ModelMetadataReader
{
    public static ModelMetadata? Read(string json, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add($"the metadata is not valid JSON ({e.Message})");
            return null;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("the metadata is not a JSON object");
                return null;
            }

            int before = problems.Count;
            string architecture = String(root, "architecture", "", problems);
            if (problems.Count == before && architecture != ModelMetadata.ConvRnntV1)
            {
                problems.Add($"metadata \"architecture\" is \"{architecture}\"; this runtime knows only \"{ModelMetadata.ConvRnntV1}\"");
            }

            string name = root.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            ModelDimensions? dims = ReadDimensions(Object(root, "model", "", problems), problems);
            ModelFeatureOptions? features = ReadFeatures(Object(root, "features", "", problems), problems);
            IReadOnlyList<string>? tokens = ReadTokens(Object(root, "tokenizer", "", problems), problems);
            float epsilon = ReadEpsilon(root, problems);
            bool? encoderNorm = ReadOptionalBool(root, "encoder_norm", problems);
            bool? encoderSkip = ReadOptionalBool(root, "encoder_skip", problems);

            if (dims is not null && features is not null && features.NumMelBins != dims.NumMelBins)
            {
                problems.Add($"metadata \"features.num_mel_bins\" is {features.NumMelBins} but \"model.num_mel_bins\" is {dims.NumMelBins}");
            }

            if (dims is not null && tokens is not null && tokens.Count != dims.VocabSize)
            {
                problems.Add($"metadata \"tokenizer.pieces\" has {tokens.Count} pieces but \"model.vocab_size\" is {dims.VocabSize}");
            }

            if (problems.Count > before || dims is null || features is null || tokens is null)
            {
                return null;
            }

            return new ModelMetadata
            {
                Architecture = architecture,
                Name = name,
                Dimensions = dims,
                Features = features,
                Tokens = tokens,
                LayerNormEpsilon = epsilon,
                DeclaredEncoderNorm = encoderNorm,
                DeclaredEncoderSkip = encoderSkip,
                Json = json,
            };
        }
    }

    private static ModelDimensions? ReadDimensions(JsonElement? model, List<string> problems)
    {
        if (model is not JsonElement m)
        {
            return null;
        }

        int before = problems.Count;
        var dims = new ModelDimensions
        {
            NumMelBins = PositiveInt(m, "num_mel_bins", problems),
            SubsamplingChannels = PositiveInt(m, "subsampling_channels", problems),
            EncoderDim = PositiveInt(m, "encoder_dim", problems),
            ConvKernel = PositiveInt(m, "conv_kernel", problems),
            LstmHidden = PositiveInt(m, "lstm_hidden", problems),
            LstmLayers = PositiveInt(m, "lstm_layers", problems),
            DecoderDim = PositiveInt(m, "decoder_dim", problems),
            ContextSize = PositiveInt(m, "context_size", problems),
            JoinerDim = PositiveInt(m, "joiner_dim", problems),
            VocabSize = PositiveInt(m, "vocab_size", problems),
            BlankId = Int(m, "blank_id", "model.", problems),
            SubsamplingFactor = PositiveInt(m, "subsampling_factor", problems),
            ChunkSize = PositiveInt(m, "chunk_size", problems),
        };
        if (problems.Count > before)
        {
            return null;
        }

        if ((uint)dims.BlankId >= (uint)dims.VocabSize)
        {
            problems.Add($"metadata \"model.blank_id\" is {dims.BlankId}, outside [0, {dims.VocabSize})");
        }

        if (dims.SubsamplingFactor != 4)
        {
            problems.Add($"metadata \"model.subsampling_factor\" is {dims.SubsamplingFactor}; two stride-2 convolutions give 4");
        }

        if (dims.NumMelBins < 7)
        {
            problems.Add($"metadata \"model.num_mel_bins\" is {dims.NumMelBins}; two 3×3 stride-2 convolutions need at least 7");
        }

        return dims;
    }

    private static ModelFeatureOptions? ReadFeatures(JsonElement? features, List<string> problems)
    {
        if (features is not JsonElement f)
        {
            return null;
        }

        int before = problems.Count;
        const string p = "features.";
        var options = new ModelFeatureOptions
        {
            SampleFrequency = Number(f, "sample_frequency", p, problems),
            FrameLengthMs = Number(f, "frame_length_ms", p, problems),
            FrameShiftMs = Number(f, "frame_shift_ms", p, problems),
            Dither = Number(f, "dither", p, problems),
            PreemphasisCoefficient = Number(f, "preemphasis_coefficient", p, problems),
            RemoveDcOffset = Bool(f, "remove_dc_offset", p, problems),
            WindowType = String(f, "window_type", p, problems),
            RoundToPowerOfTwo = Bool(f, "round_to_power_of_two", p, problems),
            SnipEdges = Bool(f, "snip_edges", p, problems),
            NumMelBins = Int(f, "num_mel_bins", p, problems),
            LowFreq = Number(f, "low_freq", p, problems),
            HighFreq = Number(f, "high_freq", p, problems),
            UseEnergy = Bool(f, "use_energy", p, problems),
            EnergyFloor = Number(f, "energy_floor", p, problems),
            InputScale = String(f, "input_scale", p, problems),
        };
        return problems.Count > before ? null : options;
    }

    private static IReadOnlyList<string>? ReadTokens(JsonElement? tokenizer, List<string> problems)
    {
        if (tokenizer is not JsonElement t)
        {
            return null;
        }

        if (!t.TryGetProperty("pieces", out JsonElement pieces) || pieces.ValueKind != JsonValueKind.Array)
        {
            problems.Add("metadata \"tokenizer.pieces\" is missing or not an array of strings");
            return null;
        }

        var list = new List<string>(pieces.GetArrayLength());
        foreach (JsonElement piece in pieces.EnumerateArray())
        {
            if (piece.ValueKind != JsonValueKind.String)
            {
                problems.Add($"metadata \"tokenizer.pieces\"[{list.Count}] is not a string");
                return null;
            }

            list.Add(piece.GetString()!);
        }

        return list;
    }

    private static float ReadEpsilon(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("layer_norm_eps", out JsonElement value))
        {
            return LayerNormalization.DefaultEpsilon;
        }

        if (value.ValueKind != JsonValueKind.Number || !(value.GetDouble() is > 0 and < 1))
        {
            problems.Add($"metadata \"layer_norm_eps\" is {value.GetRawText()}; it must be a number in (0, 1)");
            return LayerNormalization.DefaultEpsilon;
        }

        return (float)value.GetDouble();
    }

    private static bool? ReadOptionalBool(JsonElement root, string key, List<string> problems)
    {
        if (!root.TryGetProperty(key, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problems.Add($"metadata \"{key}\" is {value.GetRawText()}; it must be true or false");
        return null;
    }

    private static JsonElement? Object(JsonElement parent, string key, string path, List<string> problems)
    {
        if (parent.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        problems.Add($"metadata \"{path}{key}\" is missing or not an object");
        return null;
    }

    private static int PositiveInt(JsonElement parent, string key, List<string> problems)
    {
        int value = Int(parent, key, "model.", problems);
        if (value <= 0 && parent.TryGetProperty(key, out JsonElement e) && e.TryGetInt32(out _))
        {
            problems.Add($"metadata \"model.{key}\" is {value}; it must be positive");
        }

        return value;
    }

    private static int Int(JsonElement parent, string key, string path, List<string> problems)
    {
        if (parent.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result))
        {
            return result;
        }

        problems.Add($"metadata \"{path}{key}\" is missing or not an integer");
        return 0;
    }

    private static double Number(JsonElement parent, string key, string path, List<string> problems)
    {
        if (parent.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        problems.Add($"metadata \"{path}{key}\" is missing or not a number");
        return 0;
    }

    private static bool Bool(JsonElement parent, string key, string path, List<string> problems)
    {
        if (parent.TryGetProperty(key, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problems.Add($"metadata \"{path}{key}\" is missing or not true/false");
        return false;
    }

    private static string String(JsonElement parent, string key, string path, List<string> problems)
    {
        if (parent.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        problems.Add($"metadata \"{path}{key}\" is missing or not a string");
        return "";
    }
}
