namespace EdgeVoice.Cloud.Client;

/// <summary>One hypothesis of a rescored n-best list (natural-log scores; NaN where the service sent null).</summary>
public sealed record CloudHypothesis(string Text, IReadOnlyList<string> Words, double AcousticScore, double LmScore, double TotalScore);
