namespace EdgeVoice.Lm;

/// <summary>
/// A language model that scores whole word sequences. Implementations are immutable after construction and
/// thread-safe: a service calls <see cref="ScoreSentence"/> from many threads at once.
/// </summary>
/// <example>
/// <code>
/// ILanguageModel lm = ArpaLanguageModel.Load("models/lm-3gram.arpa.gz");
/// double logProb = lm.ScoreSentence(["TURN", "ON", "THE", "LIGHTS"]);   // ln P(TURN ON THE LIGHTS &lt;/s&gt; | &lt;s&gt;)
/// </code>
/// </example>
public interface ILanguageModel
{
    /// <summary>A short name for logs and reports (e.g. the model file's name).</summary>
    string Name { get; }

    /// <summary>
    /// Natural-log probability of <paramref name="words"/> as a whole sentence: the sum of ln P(wᵢ | &lt;s&gt; w₁…wᵢ₋₁)
    /// over the words plus ln P(&lt;/s&gt; | &lt;s&gt; w₁…wₙ). Words are compared as given (the recognizer emits upper
    /// case); words the model does not know are scored as its unknown word. An empty list scores the empty sentence.
    /// </summary>
    double ScoreSentence(IReadOnlyList<string> words);

    /// <summary>
    /// <see cref="ScoreSentence"/> of each sentence. Models that can share work between sentences with a common
    /// prefix (the neural model) override this; the default scores them one by one.
    /// </summary>
    IReadOnlyList<double> ScoreSentences(IReadOnlyList<IReadOnlyList<string>> sentences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var scores = new double[sentences.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = ScoreSentence(sentences[i]);
        }

        return scores;
    }
}
