using System.Text.Json;
using EdgeVoice.Asr;

namespace EdgeVoice.Cloud;

/// <summary>A rescored lattice: its n-best list and the time rescoring took.</summary>
internal sealed record RescoreOutcome(string Utterance, string Engine, IReadOnlyList<RescoredPath> NBest, TimeSpan Elapsed)
{
    /// <summary>Writes <c>"engine", "elapsed_ms", "nbest": [{rank, text, words, acoustic, lm, total}]</c> into an open object.</summary>
    public void WriteFields(Utf8JsonWriter json)
    {
        json.WriteString("engine", Engine);
        json.WriteNumber("elapsed_ms", Math.Round(Elapsed.TotalMilliseconds, 3));
        json.WriteStartArray("nbest");
        for (int i = 0; i < NBest.Count; i++)
        {
            RescoredPath p = NBest[i];
            json.WriteStartObject();
            json.WriteNumber("rank", i + 1);
            json.WriteString("text", p.Text);
            json.WriteStartArray("words");
            foreach (string w in p.Words)
            {
                json.WriteStringValue(w);
            }

            json.WriteEndArray();
            Number(json, "acoustic", p.AcousticScore);
            Number(json, "lm", p.LmScore);
            Number(json, "total", p.TotalScore);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The HTTP response body of POST /v1/rescore: the lattice's utterance id and the fields of <see cref="WriteFields"/>.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("utterance", Utterance);
            WriteFields(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>JSON has no infinities or NaN: a score that is not finite is written as null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 5));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Placeholder for a lattice's utterance id in logs.</summary>
    public static string NameOf(WordLattice lattice) => lattice.Utterance.Length == 0 ? "(unnamed)" : lattice.Utterance;
}
