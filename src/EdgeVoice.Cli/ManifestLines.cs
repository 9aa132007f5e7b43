using System.Text.Json;

namespace EdgeVoice.Cli;

/// <summary>
/// Reads a JSON Lines manifest for the evaluation commands: skips blank lines, keeps the lines of one split (when
/// given), and turns each kept line into a value; malformed JSON or a line the parser refuses becomes an
/// <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class ManifestLines
{
    /// <param name="path">The manifest.</param>
    /// <param name="split">Only lines whose "split" equals this (null: every line).</param>
    /// <param name="parse">Turns one line into a value; it may throw <see cref="InvalidDataException"/> (its message gets the file and line), or the JSON exceptions of a missing or mistyped field.</param>
    public static List<T> Read<T>(string path, string? split, Func<JsonElement, T> parse)
    {
        var values = new List<T>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement r = doc.RootElement;
                if (split is not null && (!r.TryGetProperty("split", out JsonElement s) || s.GetString() != split))
                {
                    continue;
                }

                values.Add(parse(r));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}:{number}: {e.Message}", e);
            }
        }

        return values;
    }
}
