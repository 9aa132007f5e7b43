using System.Globalization;

namespace EdgeVoice.Lm;

/// <summary>
/// Strict ARPA reader. Accepted: any text before <c>\data\</c>; then <c>ngram N=count</c> lines for N = 1, 2, …
/// in order; then for each order a <c>\N-grams:</c> section of lines "log10prob w1 … wN [log10backoff]" (fields
/// separated by spaces or tabs; no back-off on the highest order); then <c>\end\</c>. Blank lines are ignored.
/// Checked: the counts match, numbers are finite (log10 probabilities ≤ 0; −99 is the conventional "never" of
/// &lt;s&gt;), every word of a higher-order n-gram is a unigram, no n-gram is listed twice, &lt;s&gt; and &lt;/s&gt;
/// are unigrams. Every failure names the line.
/// </summary>
internal static class ArpaReader
{
    public static ArpaLanguageModel Read(TextReader reader, string source, string name)
    {
        int lineNumber = 0;
        string? line;
        LanguageModelFormatException Error(string problem) => new(source, lineNumber, problem);

        // Header: skip to \data\.
        do
        {
            line = reader.ReadLine();
            lineNumber++;
            if (line is null)
            {
                throw new LanguageModelFormatException(source, 0, "no \\data\\ line: this is not an ARPA language model");
            }
        }
        while (line.Trim() != "\\data\\");

        var declared = new List<int>();
        while ((line = NextNonBlank()) is not null && line.StartsWith("ngram ", StringComparison.Ordinal))
        {
            string spec = line["ngram ".Length..].Trim();
            int eq = spec.IndexOf('=');
            if (eq < 0 || !int.TryParse(spec[..eq].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int order)
                || !int.TryParse(spec[(eq + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                throw Error($"expected 'ngram N=count', found '{line}'");
            }

            if (order != declared.Count + 1)
            {
                throw Error($"expected the count of {declared.Count + 1}-grams, found 'ngram {order}=…'");
            }

            declared.Add(count);
        }

        if (declared.Count == 0)
        {
            throw Error("\\data\\ declares no n-gram counts ('ngram 1=…')");
        }

        if (declared[0] == 0)
        {
            throw Error("the model declares no unigrams");
        }

        var words = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var tables = new NgramTable[declared.Count];
        for (int i = 0; i < tables.Length; i++)
        {
            tables[i] = new NgramTable();
        }

        var fields = new List<string>();
        for (int order = 1; order <= declared.Count; order++)
        {
            string header = $"\\{order}-grams:";
            if (line is null)
            {
                throw new LanguageModelFormatException(source, lineNumber, $"the file ends before the '{header}' section");
            }

            if (line.Trim() != header)
            {
                throw Error($"expected '{header}', found '{Shorten(line)}'");
            }

            int read = 0;
            var context = new int[order - 1];
            while ((line = NextNonBlank()) is not null && !line.StartsWith('\\'))
            {
                Split(line, fields);
                bool highest = order == declared.Count;
                if (fields.Count != order + 1 && (highest || fields.Count != order + 2))
                {
                    throw Error(highest
                        ? $"a {order}-gram line of the highest order has 'log10prob' and {order} words; found {fields.Count} fields"
                        : $"a {order}-gram line has 'log10prob', {order} words and an optional back-off; found {fields.Count} fields");
                }

                float prob = ParseNumber(fields[0], "log10 probability");
                if (prob > 0)
                {
                    throw Error($"log10 probability {fields[0]} is positive");
                }

                float backoff = fields.Count == order + 2 ? ParseNumber(fields[^1], "log10 back-off") : 0f;
                int word;
                if (order == 1)
                {
                    if (ids.ContainsKey(fields[1]))
                    {
                        throw Error($"the unigram '{fields[1]}' is listed twice");
                    }

                    word = words.Count;
                    ids[fields[1]] = word;
                    words.Add(fields[1]);
                    tables[0].Add(0, word, prob, backoff);
                }
                else
                {
                    for (int k = 0; k < order; k++)
                    {
                        if (!ids.TryGetValue(fields[k + 1], out int id))
                        {
                            throw Error($"the word '{fields[k + 1]}' of this {order}-gram is not a unigram");
                        }

                        if (k < order - 1)
                        {
                            context[k] = id;
                        }
                    }

                    word = ids[fields[order]];
                    int ctx = ContextEntry(tables, context);
                    if (tables[order - 1].Add(ctx, word, prob, backoff) < 0)
                    {
                        throw Error($"the {order}-gram '{string.Join(' ', fields.Skip(1).Take(order))}' is listed twice");
                    }
                }

                read++;
            }

            if (read != declared[order - 1])
            {
                throw new LanguageModelFormatException(source, lineNumber,
                    $"\\data\\ declares {declared[order - 1]} {order}-grams but the section has {read}");
            }
        }

        if (line is null || line.Trim() != "\\end\\")
        {
            throw line is null
                ? new LanguageModelFormatException(source, lineNumber, "the file ends without '\\end\\'")
                : Error($"expected '\\end\\' after the {declared.Count}-grams, found '{Shorten(line)}'");
        }

        foreach (string required in new[] { ArpaLanguageModel.SentenceStart, ArpaLanguageModel.SentenceEnd })
        {
            if (!ids.ContainsKey(required))
            {
                throw new LanguageModelFormatException(source, 0, $"the unigrams lack {required}");
            }
        }

        bool unknownAdded = false;
        if (!ids.ContainsKey(ArpaLanguageModel.Unknown))
        {
            ids[ArpaLanguageModel.Unknown] = words.Count;
            tables[0].Add(0, words.Count, ArpaLanguageModel.MissingUnknownLog10Prob, 0f);
            words.Add(ArpaLanguageModel.Unknown);
            unknownAdded = true;
        }

        return new ArpaLanguageModel(name, words, ids, tables, unknownAdded);

        string? NextNonBlank()
        {
            string? l;
            do
            {
                l = reader.ReadLine();
                lineNumber++;
            }
            while (l is not null && l.Trim().Length == 0);
            return l;
        }

        float ParseNumber(string text, string what)
        {
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            {
                throw Error($"the {what} '{text}' is not a finite number");
            }

            return v;
        }
    }

    /// <summary>The entry of <paramref name="context"/> in the table of its order, creating placeholders for missing prefixes.</summary>
    internal static int ContextEntry(NgramTable[] tables, ReadOnlySpan<int> context)
    {
        int entry = 0;
        for (int k = 0; k < context.Length; k++)
        {
            if (!tables[k].TryFind(entry, context[k], out int next))
            {
                next = tables[k].Add(entry, context[k], float.NaN, 0f);
            }

            entry = next;
        }

        return entry;
    }

    private static void Split(string line, List<string> fields)
    {
        fields.Clear();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
            {
                i++;
            }

            int start = i;
            while (i < line.Length && line[i] != ' ' && line[i] != '\t')
            {
                i++;
            }

            if (i > start)
            {
                fields.Add(line[start..i]);
            }
        }
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
