namespace EdgeVoice.Scoring.Tests;

/// <summary>
/// One utterance of sclite's alignment dump (<c>-o pralign</c>): its counts, and the aligned columns
/// lower-cased, with null for sclite's '*' gaps.
/// </summary>
internal sealed record ScliteUtterance(
    string Id, int Correct, int Substitutions, int Deletions, int Insertions,
    IReadOnlyList<string?> Reference, IReadOnlyList<string?> Hypothesis);
