namespace EdgeVoice.Lm;

/// <summary>
/// Trains an n-gram model with interpolated modified Kneser-Ney smoothing (Chen and Goodman 1998, as in KenLM's
/// lmplz) and returns it as an ARPA back-off model.
/// <list type="bullet">
/// <item>Counts: the highest order uses raw counts; a lower-order n-gram uses its continuation count (the number of
/// distinct words seen before it) unless it starts with &lt;s&gt;, which uses its raw count.</item>
/// <item>Per order and context h: P(w | h) = (a(hw) − D(a(hw))) / Σa(h·) + γ(h) P(w | h′), with
/// γ(h) = (D1 N1(h·) + D2 N2(h·) + D3+ N3+(h·)) / Σa(h·) and h′ = h without its first word; the unigrams interpolate
/// with the uniform distribution over the vocabulary (every word but &lt;s&gt;, &lt;unk&gt; included).</item>
/// <item>ARPA: each seen n-gram stores its interpolated probability and each context its γ as back-off weight, which
/// gives exactly the interpolated model.</item>
/// </list>
/// </summary>
public static class KneserNeyTrainer
{
    /// <summary>Trains a model on <paramref name="sentences"/> (each a list of words, without &lt;s&gt; and &lt;/s&gt;).</summary>
    /// <exception cref="ArgumentException">Invalid options, no sentences, or a word that is empty, contains white space, or is &lt;s&gt; or &lt;/s&gt;.</exception>
    public static ArpaLanguageModel Train(IEnumerable<IReadOnlyList<string>> sentences, KneserNeyOptions? options = null, string name = "kneser-ney")
    {
        ArgumentNullException.ThrowIfNull(sentences);
        options ??= new KneserNeyOptions();
        options.Validate();
        int order = options.Order;

        // Vocabulary: <s>, </s>, <unk>, then words in first-seen order.
        var words = new List<string> { ArpaLanguageModel.SentenceStart, ArpaLanguageModel.SentenceEnd, ArpaLanguageModel.Unknown };
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            ids[words[i]] = i;
        }

        // 1. Raw counts of every order.
        var raw = new Dictionary<NgramKey, long>[order];
        for (int k = 0; k < order; k++)
        {
            raw[k] = new Dictionary<NgramKey, long>();
        }

        var padded = new List<int>();
        int sentenceCount = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            ArgumentNullException.ThrowIfNull(sentence, nameof(sentences));
            sentenceCount++;
            padded.Clear();
            padded.Add(0);
            foreach (string w in sentence)
            {
                if (string.IsNullOrEmpty(w) || w.Any(char.IsWhiteSpace) || w == ArpaLanguageModel.SentenceStart || w == ArpaLanguageModel.SentenceEnd)
                {
                    throw new ArgumentException($"Sentence {sentenceCount}: the word '{w}' is empty, contains white space, or is a sentence marker.", nameof(sentences));
                }

                if (!ids.TryGetValue(w, out int id))
                {
                    id = words.Count;
                    ids[w] = id;
                    words.Add(w);
                }

                padded.Add(id);
            }

            padded.Add(1);
            for (int i = 1; i < padded.Count; i++)
            {
                for (int k = 1; k <= order && i - k + 1 >= 0; k++)
                {
                    var key = new NgramKey(padded.GetRange(i - k + 1, k).ToArray());
                    raw[k - 1][key] = raw[k - 1].GetValueOrDefault(key) + 1;
                }
            }
        }

        if (sentenceCount == 0)
        {
            throw new ArgumentException("No sentences to train on.", nameof(sentences));
        }

        // 2. Adjusted counts: continuation counts below the highest order, except n-grams starting with <s>.
        var adjusted = new Dictionary<NgramKey, long>[order];
        adjusted[order - 1] = raw[order - 1];
        for (int k = order - 1; k >= 1; k--)
        {
            var a = new Dictionary<NgramKey, long>();
            foreach (NgramKey longer in raw[k].Keys)
            {
                NgramKey suffix = longer.Suffix();
                if (suffix.Ids[0] != 0)
                {
                    a[suffix] = a.GetValueOrDefault(suffix) + 1;
                }
            }

            foreach (var (key, count) in raw[k - 1])
            {
                if (key.Ids[0] == 0)
                {
                    a[key] = count;
                }
            }

            adjusted[k - 1] = a;
        }

        // 3. Discounts, per order.
        var discounts = new double[order][];
        for (int k = 0; k < order; k++)
        {
            discounts[k] = options.FixedDiscounts?.ToArray() ?? EstimateDiscounts(adjusted[k].Values);
        }

        // 4. Per order: totals and γ per context; interpolated probabilities from the lowest order up.
        int vocabulary = words.Count - 1; // every word but <s>
        var prob = new Dictionary<NgramKey, double>[order];
        var gamma = new Dictionary<NgramKey, double>[order];
        for (int k = 0; k < order; k++)
        {
            double[] d = discounts[k];
            var totals = new Dictionary<NgramKey, (long Total, long N1, long N2, long N3)>();
            foreach (var (key, count) in adjusted[k])
            {
                NgramKey context = key.Prefix();
                var t = totals.GetValueOrDefault(context);
                totals[context] = (t.Total + count, t.N1 + (count == 1 ? 1 : 0), t.N2 + (count == 2 ? 1 : 0), t.N3 + (count >= 3 ? 1 : 0));
            }

            var g = new Dictionary<NgramKey, double>(totals.Count);
            foreach (var (context, t) in totals)
            {
                g[context] = (d[0] * t.N1 + d[1] * t.N2 + d[2] * t.N3) / t.Total;
            }

            var p = new Dictionary<NgramKey, double>(adjusted[k].Count);
            foreach (var (key, count) in adjusted[k])
            {
                NgramKey context = key.Prefix();
                double lower = k == 0 ? 1.0 / vocabulary : prob[k - 1][key.Suffix()];
                p[key] = (count - d[Math.Min(count, 3) - 1]) / totals[context].Total + g[context] * lower;
            }

            if (k == 0)
            {
                // Words never predicted (<unk> unless the text had it; </s> always is) get the uniform share.
                for (int w = 1; w < words.Count; w++)
                {
                    var key = new NgramKey([w]);
                    if (!p.ContainsKey(key))
                    {
                        p[key] = g[NgramKey.Empty] / vocabulary;
                    }
                }
            }

            prob[k] = p;
            gamma[k] = g;
        }

        // 5. ARPA tables: log10 probabilities; back-off of an n-gram = γ of it as a context of the next order.
        var tables = new NgramTable[order];
        for (int k = 0; k < order; k++)
        {
            tables[k] = new NgramTable();
        }

        var unigramOrder = new List<int>(words.Count);
        for (int w = 0; w < words.Count; w++)
        {
            unigramOrder.Add(w);
        }

        for (int k = 0; k < order; k++)
        {
            IEnumerable<NgramKey> keys = k == 0
                ? unigramOrder.Select(w => new NgramKey([w]))
                : prob[k].Keys.OrderBy(key => key, NgramKey.Comparer);
            foreach (NgramKey key in keys)
            {
                float log10 = key.Ids.Length == 1 && key.Ids[0] == 0 ? -99f : (float)Math.Log10(prob[k][key]);
                float backoff = k + 1 < order && gamma[k + 1].TryGetValue(key, out double gm) ? (float)Math.Log10(gm) : 0f;
                int context = ArpaReader.ContextEntry(tables, key.Ids.AsSpan(0, k));
                tables[k].Add(context, key.Ids[k], log10, backoff);
            }
        }

        return new ArpaLanguageModel(name, words, ids, tables, unknownAdded: false);
    }

    /// <summary>Chen and Goodman's discounts from the counts of counts, or the fallback when they are not valid.</summary>
    internal static double[] EstimateDiscounts(IEnumerable<long> counts)
    {
        var n = new long[5];
        foreach (long c in counts)
        {
            if (c <= 4)
            {
                n[c]++;
            }
        }

        if (n[1] > 0 && n[2] > 0 && n[3] > 0 && n[4] > 0)
        {
            double y = (double)n[1] / (n[1] + 2.0 * n[2]);
            double[] d = [1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3]];
            if (d[0] > 0 && d[0] <= 1 && d[1] > 0 && d[1] <= 2 && d[2] > 0 && d[2] <= 3)
            {
                return d;
            }
        }

        return KneserNeyOptions.FallbackDiscounts.ToArray();
    }
}
