using System.Text;

namespace EdgeVoice.Scoring;

/// <summary>The alignment of one hypothesis utterance with its reference, and its counts.</summary>
public sealed class UtteranceAlignment
{
    public UtteranceAlignment(string id, string speaker, IReadOnlyList<AlignedWord> words)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(speaker);
        ArgumentNullException.ThrowIfNull(words);

        Id = id;
        Speaker = speaker;
        Words = words.ToArray();
        Counts = ErrorCounts.FromAlignment(Words);
    }

    public string Id { get; }

    public string Speaker { get; }

    /// <summary>The alignment steps in word order.</summary>
    public IReadOnlyList<AlignedWord> Words { get; }

    public ErrorCounts Counts { get; }

    /// <summary>
    /// Three lines, columns padded to the wider word: reference words (gaps as ***),
    /// hypothesis words (gaps as ***) and the C/S/D/I labels.
    /// </summary>
    public (string Reference, string Hypothesis, string Labels) ToColumns()
    {
        var reference = new StringBuilder();
        var hypothesis = new StringBuilder();
        var labels = new StringBuilder();
        foreach (var step in Words)
        {
            var r = step.Reference ?? AlignedWord.Gap;
            var h = step.Hypothesis ?? AlignedWord.Gap;
            var width = Math.Max(r.Length, h.Length);
            if (reference.Length > 0)
            {
                reference.Append(' ');
                hypothesis.Append(' ');
                labels.Append(' ');
            }

            reference.Append(r.PadRight(width));
            hypothesis.Append(h.PadRight(width));
            labels.Append(step.Label.ToString().PadRight(width));
        }

        return (reference.ToString().TrimEnd(), hypothesis.ToString().TrimEnd(), labels.ToString().TrimEnd());
    }
}
