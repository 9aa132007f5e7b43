using System.Globalization;

namespace EdgeVoice.Asr.Biasing;

/// <summary>A phrase to favour (a contact, device or playlist name) and its optional bonus per token.</summary>
/// <param name="Text">The phrase as words; encoded with the model's pieces.</param>
/// <param name="Boost">Log-score bonus per matched token; null takes <see cref="ContextGraph.DefaultBoost"/>.</param>
public readonly record struct ContextPhrase(string Text, float? Boost = null)
{
    /// <summary>
    /// Phrases from lines of text, one per line, each optionally followed by a tab and its boost
    /// (<c>KITCHEN LIGHTS\t2.5</c>). Blank lines are skipped.
    /// </summary>
    /// <param name="lines">The lines.</param>
    /// <param name="source">Names the lines in error messages (a file name).</param>
    /// <exception cref="FormatException">A boost is not a positive finite number; the message names the line.</exception>
    public static List<ContextPhrase> Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var phrases = new List<ContextPhrase>();
        int number = 0;
        foreach (string line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int tab = line.LastIndexOf('\t');
            if (tab < 0)
            {
                phrases.Add(new ContextPhrase(line.Trim()));
                continue;
            }

            string text = line[..tab].Trim();
            string boost = line[(tab + 1)..].Trim();
            if (!float.TryParse(boost, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value) || value <= 0)
            {
                throw new FormatException($"{source}:{number}: boost '{boost}' is not a positive number; write 'phrase<TAB>boost' (e.g. 'KITCHEN LIGHTS<TAB>2.5') or the phrase alone.");
            }

            if (text.Length == 0)
            {
                throw new FormatException($"{source}:{number}: a boost without a phrase; write 'phrase<TAB>boost'.");
            }

            phrases.Add(new ContextPhrase(text, value));
        }

        return phrases;
    }

    /// <summary>Phrases from a UTF-8 file in the format of <see cref="Parse"/>.</summary>
    public static List<ContextPhrase> ReadFile(string path) => Parse(File.ReadLines(path), path);
}
