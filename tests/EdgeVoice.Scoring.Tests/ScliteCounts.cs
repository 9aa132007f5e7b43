namespace EdgeVoice.Scoring.Tests;

/// <summary>One row of sclite's raw summary (<c>-o rsum</c>): a speaker or the "Sum" line.</summary>
internal sealed record ScliteCounts(
    int Sentences, int Words, int Correct, int Substitutions, int Deletions, int Insertions, int Errors, int SentenceErrors);
