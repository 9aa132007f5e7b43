namespace EdgeVoice.Asr;

/// <summary>One hypothesis of a search: its text, tokens with the frames they were emitted at, words and total log score.</summary>
public sealed class RecognitionHypothesis
{
    internal RecognitionHypothesis(
        string text, int[] tokenIds, int[] tokenFrames, float[] tokenLogProbs, IReadOnlyList<RecognizedWord> words, double score)
    {
        Text = text;
        TokenIds = tokenIds;
        TokenFrames = tokenFrames;
        TokenLogProbs = tokenLogProbs;
        Words = words;
        Score = score;
    }

    /// <summary>Text: pieces joined, "▁" turned into spaces, trimmed (training/search.py:pieces_to_text).</summary>
    public string Text { get; }

    /// <summary>Token ids, blank excluded.</summary>
    public IReadOnlyList<int> TokenIds { get; }

    /// <summary>Encoder frame each token was emitted at.</summary>
    public IReadOnlyList<int> TokenFrames { get; }

    /// <summary>Log posterior of each token when it was emitted.</summary>
    public IReadOnlyList<float> TokenLogProbs { get; }

    /// <summary>Words with times, confidences and acoustic scores.</summary>
    public IReadOnlyList<RecognizedWord> Words { get; }

    /// <summary>Total log score (natural log): the sum of the log posteriors of every blank and token on the path, log-added over merged paths in beam search.</summary>
    public double Score { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Text} ({Score:F3})";
}
