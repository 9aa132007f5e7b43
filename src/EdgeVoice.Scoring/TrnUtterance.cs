namespace EdgeVoice.Scoring;

/// <summary>
/// One line of a transcript: the words, the utterance id and the speaker it belongs to.
/// </summary>
public sealed class TrnUtterance
{
    /// <param name="id">Utterance id, without the surrounding parentheses.</param>
    /// <param name="speaker">Speaker (group) the utterance is scored under.</param>
    /// <param name="words">The words; may be empty.</param>
    /// <param name="sourceFile">File the utterance came from, if any (used in error messages).</param>
    /// <param name="sourceLine">1-based line in <paramref name="sourceFile"/>, or 0 when unknown.</param>
    public TrnUtterance(string id, string speaker, IReadOnlyList<string> words, string? sourceFile = null, int sourceLine = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(speaker);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLine);
        for (var i = 0; i < words.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(words[i]) || words[i].Any(char.IsWhiteSpace))
            {
                throw new ArgumentException(
                    $"Utterance '{id}': word {i} is empty or contains whitespace; split the text into words first.",
                    nameof(words));
            }
        }

        Id = id;
        Speaker = speaker;
        Words = words.ToArray();
        SourceFile = sourceFile;
        SourceLine = sourceLine;
    }

    public string Id { get; }

    public string Speaker { get; }

    public IReadOnlyList<string> Words { get; }

    public string? SourceFile { get; }

    public int SourceLine { get; }

    /// <summary>The utterance in trn syntax: <c>word word ... (id)</c>.</summary>
    public override string ToString() =>
        Words.Count == 0 ? $"({Id})" : $"{string.Join(' ', Words)} ({Id})";
}
