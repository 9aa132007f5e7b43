namespace EdgeVoice.Lm.Tests;

/// <summary>A language model given by a table of sentence scores (unknown sentences: −100); per word: −1 each, the rest on the end.</summary>
internal sealed class FakeLanguageModel(Dictionary<string, double> sentences) : IWordScoringLanguageModel
{
    public string Name => "fake";

    public int Calls;

    public double ScoreSentence(IReadOnlyList<string> words)
    {
        Interlocked.Increment(ref Calls);
        return sentences.TryGetValue(string.Join(' ', words), out double s) ? s : -100;
    }

    public void ScoreWords(IReadOnlyList<string> words, Span<double> logProbabilities)
    {
        double total = ScoreSentence(words);
        for (int i = 0; i < words.Count; i++)
        {
            logProbabilities[i] = -1;
        }

        logProbabilities[words.Count] = total + words.Count;
    }
}
