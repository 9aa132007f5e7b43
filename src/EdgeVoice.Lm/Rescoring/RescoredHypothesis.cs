namespace EdgeVoice.Lm;

/// <summary>One entry of a rescored n-best list.</summary>
/// <param name="Text">The words joined by single spaces.</param>
/// <param name="Words">The words.</param>
/// <param name="AcousticScore">The lattice path's acoustic score (natural log; arcs plus final weight).</param>
/// <param name="LmScore">The language model's natural-log probability of the sentence, end of sentence included.</param>
/// <param name="TotalScore"><c>AcousticScore + LmWeight · LmScore + WordInsertionBonus · Words.Count</c>; the list is sorted by it, best first.</param>
public sealed record RescoredHypothesis(string Text, IReadOnlyList<string> Words, double AcousticScore, double LmScore, double TotalScore);
