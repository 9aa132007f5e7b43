namespace EdgeVoice.Lm;

/// <summary>Perplexity of a language model over a set of sentences.</summary>
/// <param name="Sentences">Number of sentences.</param>
/// <param name="Words">In-vocabulary words scored (the ends of sentences not included).</param>
/// <param name="Oovs">Out-of-vocabulary words (left out of <see cref="Perplexity"/>).</param>
/// <param name="LogProb">Natural-log probability of the in-vocabulary words and the ends of sentences.</param>
/// <param name="OovLogProb">Natural-log probability the model gave the OOV words (as &lt;unk&gt;).</param>
public sealed record PerplexityResult(int Sentences, int Words, int Oovs, double LogProb, double OovLogProb)
{
    /// <summary><c>exp(−LogProb / (Words + Sentences))</c>: per word, the end of each sentence counted as a word (SRILM's "ppl").</summary>
    public double Perplexity => Math.Exp(-LogProb / (Words + Sentences));

    /// <summary>Perplexity with the OOVs scored as &lt;unk&gt; and counted: <c>exp(−(LogProb + OovLogProb) / (Words + Oovs + Sentences))</c>.</summary>
    public double PerplexityWithOovs => Math.Exp(-(LogProb + OovLogProb) / (Words + Oovs + Sentences));

    /// <summary>Computes the perplexity of any language model; all words count (a model without a closed vocabulary has no OOVs).</summary>
    public static PerplexityResult Compute(ILanguageModel lm, IEnumerable<IReadOnlyList<string>> sentences)
    {
        ArgumentNullException.ThrowIfNull(lm);
        ArgumentNullException.ThrowIfNull(sentences);
        var list = sentences.ToList();
        IReadOnlyList<double> scores = lm.ScoreSentences(list);
        return new PerplexityResult(list.Count, list.Sum(s => s.Count), 0, scores.Sum(), 0);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{Sentences} sentences, {Words} words, {Oovs} OOVs: logprob {LogProb:F2}, ppl {Perplexity:F3}, ppl with OOVs {PerplexityWithOovs:F3}");
}
