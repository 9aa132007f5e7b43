using System.Text;

namespace EdgeVoice.Scoring;

/// <summary>
/// Reads and writes NIST sclite transcript files (<c>trn</c>): one utterance per line,
/// <c>word word ... (utterance-id)</c>. See docs/scoring.md for the exact rules.
/// </summary>
public static class TrnFile
{
    /// <summary>Lines starting with this marker are comments and are skipped, as sclite does.</summary>
    public const string CommentMarker = ";;";

    /// <summary>Reads a trn file (UTF-8). Throws <see cref="TrnFormatException"/> naming the line of the first problem.</summary>
    public static IReadOnlyList<TrnUtterance> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Transcript file '{path}' does not exist.", path);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    /// <summary>Parses trn text; <paramref name="sourceName"/> is used in error messages and recorded on each utterance.</summary>
    public static IReadOnlyList<TrnUtterance> Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);

        var utterances = new List<TrnUtterance>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.StartsWith(CommentMarker, StringComparison.Ordinal))
            {
                continue;
            }

            var utterance = ParseLine(line, sourceName, lineNumber);
            if (firstLineOfId.TryGetValue(utterance.Id, out var firstLine))
            {
                throw new TrnFormatException(sourceName, lineNumber,
                    $"duplicate utterance id '{utterance.Id}' (first used on line {firstLine}).");
            }

            firstLineOfId.Add(utterance.Id, lineNumber);
            utterances.Add(utterance);
        }

        return utterances;
    }

    /// <summary>Parses one trn line. Throws <see cref="TrnFormatException"/> when the line is not <c>words (id)</c>.</summary>
    public static TrnUtterance ParseLine(string line, string sourceName, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);

        var text = line.TrimEnd();
        if (text.Length == 0 || text.All(char.IsWhiteSpace))
        {
            throw new TrnFormatException(sourceName, lineNumber,
                "blank line; every line must be 'words (utterance-id)' (an utterance with no words is written '(utterance-id)').");
        }

        if (text[^1] != ')')
        {
            throw new TrnFormatException(sourceName, lineNumber,
                "missing utterance id; the line must end with '(utterance-id)'.");
        }

        var open = text.LastIndexOf('(');
        if (open < 0)
        {
            throw new TrnFormatException(sourceName, lineNumber,
                "unbalanced parentheses; the line ends with ')' but has no '(' opening the utterance id.");
        }

        var id = text[(open + 1)..^1];
        if (id.Length == 0 || id.Any(char.IsWhiteSpace) || id.Contains(')'))
        {
            throw new TrnFormatException(sourceName, lineNumber,
                $"invalid utterance id '({id})'; the id must be non-empty and contain no whitespace or ')'.");
        }

        var words = SplitWords(text[..open]);
        foreach (var word in words)
        {
            if (!IsPlainWord(word))
            {
                throw new TrnFormatException(sourceName, lineNumber,
                    $"unsupported token '{word}' in utterance '{id}'; sclite gives '@', '(word)' and '{{ a / b }}' special " +
                    "meanings that EdgeVoice.Scoring does not implement; remove them from the transcript.");
            }
        }

        string speaker;
        try
        {
            speaker = SpeakerOf(id);
        }
        catch (ArgumentException ex)
        {
            throw new TrnFormatException(sourceName, lineNumber, ex.Message);
        }

        return new TrnUtterance(id, speaker, words, sourceName, lineNumber);
    }

    /// <summary>
    /// The speaker of an utterance id, following sclite's rule for <c>-i rm</c> (also <c>spu_id</c> and <c>swb</c>):
    /// the part before the first '-'; if the id has no '-', the part before the first '_'.
    /// Example: "spk2_x-u3" belongs to "spk2_x", "spk3_u1" to "spk3".
    /// </summary>
    public static string SpeakerOf(string utteranceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(utteranceId);

        var cut = utteranceId.IndexOf('-');
        if (cut < 0)
        {
            cut = utteranceId.IndexOf('_');
        }

        if (cut < 0)
        {
            throw new ArgumentException(
                $"utterance id '{utteranceId}' has neither '-' nor '_', so no speaker can be derived from it " +
                "(sclite -i rm uses the part before the first '-', else before the first '_'); rename it 'speaker-utterance'.",
                nameof(utteranceId));
        }

        if (cut == 0)
        {
            throw new ArgumentException(
                $"utterance id '{utteranceId}' starts with its separator, so its speaker part is empty; rename it 'speaker-utterance'.",
                nameof(utteranceId));
        }

        return utteranceId[..cut];
    }

    /// <summary>Writes utterances in trn syntax, one per line, in the given order.</summary>
    public static void Write(string path, IEnumerable<TrnUtterance> utterances)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(utterances);

        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        foreach (var utterance in utterances)
        {
            writer.WriteLine(utterance.ToString());
        }
    }

    /// <summary>
    /// Splits text into words at whitespace. sclite splits at spaces and tabs; other whitespace
    /// (form feed, no-break space, ...) also separates words here.
    /// </summary>
    internal static string[] SplitWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool IsPlainWord(string word) =>
        word != "@" && word.IndexOfAny(['(', ')', '{', '}']) < 0;
}
