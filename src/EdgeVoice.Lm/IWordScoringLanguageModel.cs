namespace EdgeVoice.Lm;

/// <summary>
/// A language model that can also say how much each word contributes to a sentence's score, so that lattice
/// arcs can carry per-word scores (<see cref="LatticeRescorer.ExpandWithLmScores"/>). Thread-safe like
/// <see cref="ILanguageModel"/>.
/// </summary>
public interface IWordScoringLanguageModel : ILanguageModel
{
    /// <summary>
    /// Writes ln P(wᵢ | &lt;s&gt; w₁…wᵢ₋₁) for each word to <paramref name="logProbabilities"/>[i] and
    /// ln P(&lt;/s&gt; | &lt;s&gt; w₁…wₙ) to <paramref name="logProbabilities"/>[n]; their sum is
    /// <see cref="ILanguageModel.ScoreSentence"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="logProbabilities"/> is shorter than words.Count + 1.</exception>
    void ScoreWords(IReadOnlyList<string> words, Span<double> logProbabilities);
}
