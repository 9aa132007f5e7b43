using System.Globalization;

namespace EdgeVoice.Lm;

/// <summary>Writes ARPA text: n-grams of each order in table order, log10 numbers with 9 significant digits (float round trip).</summary>
internal static class ArpaWriter
{
    public static void Write(ArpaLanguageModel model, TextWriter writer)
    {
        writer.Write("\\data\\\n");
        bool skipUnknown = model.UnknownWasAdded;
        for (int order = 1; order <= model.Order; order++)
        {
            int count = model.Table(order).RealCount - (order == 1 && skipUnknown ? 1 : 0);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"ngram {order}={count}\n"));
        }

        var words = new int[model.Order];
        for (int order = 1; order <= model.Order; order++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\n\\{order}-grams:\n"));
            NgramTable table = model.Table(order);
            for (int e = 0; e < table.Count; e++)
            {
                if (!table.HasProb(e) || (order == 1 && skipUnknown && model.WordText(table.Word(e)) == ArpaLanguageModel.Unknown))
                {
                    continue;
                }

                // Recover the words: walk the context chain down the orders.
                int entry = e;
                for (int k = order; k >= 1; k--)
                {
                    NgramTable t = model.Table(k);
                    words[k - 1] = t.Word(entry);
                    entry = t.Context(entry);
                }

                writer.Write(table.LogProb(e).ToString("G9", CultureInfo.InvariantCulture));
                for (int k = 0; k < order; k++)
                {
                    writer.Write(k == 0 ? '\t' : ' ');
                    writer.Write(model.WordText(words[k]));
                }

                float backoff = table.Backoff(e);
                if (order < model.Order && backoff != 0f)
                {
                    writer.Write('\t');
                    writer.Write(backoff.ToString("G9", CultureInfo.InvariantCulture));
                }

                writer.Write('\n');
            }
        }

        writer.Write("\n\\end\\\n");
    }
}
