namespace EdgeVoice.Scoring;

/// <summary>
/// One step of a word alignment. <see cref="Reference"/> is null for an insertion,
/// <see cref="Hypothesis"/> is null for a deletion.
/// </summary>
public readonly record struct AlignedWord(string? Reference, string? Hypothesis, EditOperation Operation)
{
    /// <summary>Text written in place of a missing word in alignments.</summary>
    public const string Gap = "***";

    /// <summary>The one-letter label: C, S, D or I.</summary>
    public char Label => Operation switch
    {
        EditOperation.Correct => 'C',
        EditOperation.Substitution => 'S',
        EditOperation.Deletion => 'D',
        EditOperation.Insertion => 'I',
        _ => throw new InvalidOperationException($"Unknown edit operation {Operation}."),
    };
}
