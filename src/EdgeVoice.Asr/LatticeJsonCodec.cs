using System.Text;
using System.Text.Json;

namespace EdgeVoice.Asr;

/// <summary>The JSON form of a lattice (docs/lattice-format.md).</summary>
internal static class LatticeJsonCodec
{
    public const int Version = 1;

    public static string Write(WordLattice lattice)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            j.WriteStartObject();
            j.WriteString("format", "edgevoice-lattice");
            j.WriteNumber("version", Version);
            j.WriteString("utterance", lattice.Utterance);
            j.WriteNumber("frame_duration", lattice.FrameDuration);
            j.WriteNumber("nodes", lattice.NodeCount);
            j.WriteStartArray("final");
            for (int i = 0; i < lattice.NodeCount; i++)
            {
                if (!float.IsNaN(lattice.FinalWeights[i]))
                {
                    j.WriteStartObject();
                    j.WriteNumber("node", i);
                    j.WriteNumber("weight", lattice.FinalWeights[i]);
                    j.WriteEndObject();
                }
            }

            j.WriteEndArray();
            j.WriteStartArray("arcs");
            foreach (LatticeArc a in lattice.Arcs)
            {
                j.WriteStartObject();
                j.WriteNumber("from", a.From);
                j.WriteNumber("to", a.To);
                j.WriteString("word", a.Word);
                j.WriteNumber("start_frame", a.StartFrame);
                j.WriteNumber("end_frame", a.EndFrame);
                j.WriteNumber("start", Math.Round(a.StartFrame * lattice.FrameDuration, 6));
                j.WriteNumber("end", Math.Round(a.EndFrame * lattice.FrameDuration, 6));
                j.WriteNumber("acoustic", a.AcousticScore);
                if (a.HasLmScore)
                {
                    j.WriteNumber("lm", a.LmScore);
                }
                else
                {
                    j.WriteNull("lm");
                }

                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static WordLattice Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (Get(root, "format").GetString() != "edgevoice-lattice")
            {
                throw new LatticeFormatException("The JSON is not an EdgeVoice lattice: \"format\" is not \"edgevoice-lattice\".");
            }

            int version = Get(root, "version").GetInt32();
            if (version != Version)
            {
                throw new LatticeFormatException($"The JSON lattice has version {version}; this reader understands version {Version}.");
            }

            int nodes = Get(root, "nodes").GetInt32();
            int arcsInFile = Get(root, "arcs").ValueKind == JsonValueKind.Array ? Get(root, "arcs").GetArrayLength() : 0;
            if (nodes is < 1 or > 10_000_000 || nodes > arcsInFile + 1)
            {
                throw new LatticeFormatException($"The JSON lattice has {nodes} nodes for {arcsInFile} arcs (every node but the start is entered by an arc).");
            }

            var final = new float[nodes];
            Array.Fill(final, float.NaN);
            foreach (JsonElement f in Get(root, "final").EnumerateArray())
            {
                int node = Get(f, "node").GetInt32();
                if ((uint)node >= (uint)nodes)
                {
                    throw new LatticeFormatException($"The JSON lattice marks node {node} final but has {nodes} nodes.");
                }

                final[node] = Get(f, "weight").GetSingle();
            }

            var arcs = new List<LatticeArc>();
            foreach (JsonElement a in Get(root, "arcs").EnumerateArray())
            {
                JsonElement lm = Get(a, "lm");
                arcs.Add(new LatticeArc(
                    Get(a, "from").GetInt32(), Get(a, "to").GetInt32(), Get(a, "word").GetString() ?? "",
                    Get(a, "start_frame").GetInt32(), Get(a, "end_frame").GetInt32(), Get(a, "acoustic").GetSingle(),
                    lm.ValueKind == JsonValueKind.Null ? float.NaN : lm.GetSingle()));
            }

            return new WordLattice(nodes, arcs, final, Get(root, "frame_duration").GetDouble(), Get(root, "utterance").GetString() ?? "");
        }
        catch (JsonException e)
        {
            throw new LatticeFormatException($"The lattice is not valid JSON ({e.Message}).", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new LatticeFormatException($"The JSON lattice has a value of the wrong type ({e.Message}).", e);
        }
    }

    private static JsonElement Get(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value))
        {
            throw new LatticeFormatException($"The JSON lattice lacks \"{name}\".");
        }

        return value;
    }
}
