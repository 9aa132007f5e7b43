namespace EdgeVoice.Scoring;

/// <summary>What one alignment step does with a reference word and a hypothesis word.</summary>
public enum EditOperation
{
    /// <summary>Reference and hypothesis words are equal (label C).</summary>
    Correct,

    /// <summary>A reference word was recognised as a different word (label S).</summary>
    Substitution,

    /// <summary>A reference word is missing from the hypothesis (label D).</summary>
    Deletion,

    /// <summary>The hypothesis has a word with no reference counterpart (label I).</summary>
    Insertion,
}
