namespace EdgeVoice.Scoring.Tests;

/// <summary>What the comparison test reads back from one sclite run.</summary>
internal sealed record ScliteResult(
    ScliteCounts Totals,
    string TotalErrPercent,
    IReadOnlyDictionary<string, ScliteCounts> Speakers,
    IReadOnlyDictionary<string, ScliteUtterance> Utterances,
    string CommandLine);
