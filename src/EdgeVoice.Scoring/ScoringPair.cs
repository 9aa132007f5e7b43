namespace EdgeVoice.Scoring;

/// <summary>An in-memory reference/hypothesis pair with its utterance id and speaker (for example from a manifest).</summary>
public sealed class ScoringPair
{
    public ScoringPair(string id, string speaker, IReadOnlyList<string> referenceWords, IReadOnlyList<string> hypothesisWords)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(speaker);
        ArgumentNullException.ThrowIfNull(referenceWords);
        ArgumentNullException.ThrowIfNull(hypothesisWords);

        Id = id;
        Speaker = speaker;
        ReferenceWords = referenceWords.ToArray();
        HypothesisWords = hypothesisWords.ToArray();
    }

    public string Id { get; }

    public string Speaker { get; }

    public IReadOnlyList<string> ReferenceWords { get; }

    public IReadOnlyList<string> HypothesisWords { get; }

    /// <summary>Builds a pair from texts, splitting them into words at whitespace.</summary>
    public static ScoringPair FromText(string id, string speaker, string referenceText, string hypothesisText)
    {
        ArgumentNullException.ThrowIfNull(referenceText);
        ArgumentNullException.ThrowIfNull(hypothesisText);
        return new ScoringPair(id, speaker, TrnFile.SplitWords(referenceText), TrnFile.SplitWords(hypothesisText));
    }

    /// <summary>Builds a pair from texts, deriving the speaker from the id with <see cref="TrnFile.SpeakerOf"/>.</summary>
    public static ScoringPair FromText(string id, string referenceText, string hypothesisText) =>
        FromText(id, TrnFile.SpeakerOf(id), referenceText, hypothesisText);
}
