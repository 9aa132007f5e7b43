namespace EdgeVoice.Cloud;

/// <summary>One hypothesis of a rescored n-best list: its words and scores (natural logs).</summary>
/// <param name="Text">The words joined by spaces.</param>
/// <param name="Words">The words.</param>
/// <param name="AcousticScore">Sum of the lattice's acoustic scores along the path.</param>
/// <param name="LmScore">The language model's log probability of the words (0 without a language model).</param>
/// <param name="TotalScore">The ranking score: acoustic + weight × LM + insertion bonus × words.</param>
public sealed record RescoredPath(string Text, IReadOnlyList<string> Words, double AcousticScore, double LmScore, double TotalScore);
