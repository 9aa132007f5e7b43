namespace EdgeVoice.Scoring;

/// <summary>The counts of all utterances of one speaker.</summary>
public sealed record SpeakerScore(string Speaker, ErrorCounts Counts);
