namespace EdgeVoice.Scoring;

/// <summary>What to do with a reference utterance that has no hypothesis.</summary>
public enum MissingHypothesisPolicy
{
    /// <summary>Leave it out of the score, as sclite does (it scores the hypothesis utterances only).</summary>
    Ignore,

    /// <summary>Score it against an empty hypothesis: every reference word is a deletion.</summary>
    ScoreAsEmpty,

    /// <summary>Throw <see cref="TrnFormatException"/> naming the reference utterance.</summary>
    Error,
}
