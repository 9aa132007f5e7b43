namespace EdgeVoice.Asr;

/// <summary>Turns a searched token path into text, words, times, confidences and word scores.</summary>
internal static class ResultBuilder
{
    public const char WordBoundary = '\u2581';

    public static RecognitionHypothesis Build(
        TransducerModel model, int[] tokens, int[] frames, float[] logProbs, double[] scoreAfter, double total)
    {
        IReadOnlyList<string> pieces = model.Tokens;
        var text = new System.Text.StringBuilder();
        foreach (int id in tokens)
        {
            text.Append(pieces[id]);
        }

        string joined = text.Replace(WordBoundary, ' ').ToString().Trim();
        var words = new List<RecognizedWord>();
        var word = new System.Text.StringBuilder();
        int first = -1;
        double previousBoundary = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            string piece = pieces[tokens[i]];
            bool startsWord = piece.Length > 0 && piece[0] == WordBoundary;
            if (startsWord && first >= 0 && word.Length > 0)
            {
                AddWord(i - 1);
            }

            if (first < 0)
            {
                first = i;
            }

            word.Append(piece.Replace(WordBoundary.ToString(), "", StringComparison.Ordinal));
        }

        if (first >= 0 && word.Length > 0)
        {
            AddWord(tokens.Length - 1);
        }

        if (words.Count > 0)
        {
            RecognizedWord last = words[^1];
            words[^1] = last with { AcousticScore = last.AcousticScore + (total - previousBoundary) };
        }

        return new RecognitionHypothesis(joined, tokens, frames, logProbs, words, total);

        void AddWord(int lastToken)
        {
            float confidence = 1f;
            for (int k = first; k <= lastToken; k++)
            {
                confidence = Math.Min(confidence, MathF.Exp(logProbs[k]));
            }

            double score = scoreAfter[lastToken] - previousBoundary;
            previousBoundary = scoreAfter[lastToken];
            words.Add(new RecognizedWord(word.ToString(), frames[first], frames[lastToken] + 1, model.FrameDuration, confidence, score));
            word.Clear();
            first = -1;
        }
    }
}
