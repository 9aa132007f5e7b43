namespace EdgeVoice.Scoring.Tests;

/// <summary>
/// Random reference/hypothesis transcripts for the sclite comparison: a tiny vocabulary (many ties),
/// mixed case, empty references and hypotheses, insertion-only and deletion-only utterances, very long utterances,
/// ids with '-' and with '_' only, and a few references that have no hypothesis (sclite leaves those out).
/// </summary>
internal static class RandomTranscripts
{
    private static readonly string[] Vocabulary = ["a", "b", "c", "d", "e", "the", "The", "A", "cat", "CAT"];

    public static (List<TrnUtterance> References, List<TrnUtterance> Hypotheses) Generate(int seed, int pairs, int referencesWithoutHypothesis)
    {
        var random = new Random(seed);
        var references = new List<TrnUtterance>();
        var hypotheses = new List<TrnUtterance>();
        for (var n = 0; n < pairs + referencesWithoutHypothesis; n++)
        {
            var speaker = $"s{random.Next(12):D2}";
            var id = random.Next(3) == 0 ? $"{speaker}_{n:D4}" : $"{speaker}-u{n:D4}";
            var (reference, hypothesis) = MakePair(random);
            references.Add(new TrnUtterance(id, speaker, reference));
            if (n < pairs)
            {
                // sclite matches ids ignoring case; so do we by default.
                var hypothesisId = random.Next(10) == 0 ? id.ToUpperInvariant() : id;
                hypotheses.Add(new TrnUtterance(hypothesisId, TrnFile.SpeakerOf(hypothesisId), hypothesis));
            }
        }

        // Score hypotheses in an order different from the references.
        Shuffle(random, hypotheses);
        return (references, hypotheses);
    }

    private static (string[] Reference, string[] Hypothesis) MakePair(Random random)
    {
        switch (random.Next(20))
        {
            case 0:
                return (Words(random, random.Next(1, 12)), []);
            case 1:
                return ([], Words(random, random.Next(1, 8)));
            case 2:
                return ([], []);
            case 3:
                var longReference = Words(random, random.Next(150, 600));
                return (longReference, Edit(random, longReference, 0.3));
            case 4:
            case 5:
            case 6:
            case 7:
                return (Words(random, random.Next(0, 15)), Words(random, random.Next(0, 15)));
            case 8:
                var full = Words(random, random.Next(2, 12));
                return (full, full.Where(_ => random.Next(3) != 0).ToArray());
            case 9:
                var shorter = Words(random, random.Next(1, 10));
                return (shorter, Edit(random, shorter, 0.0, insertionsOnly: true));
            default:
                var reference = Words(random, random.Next(1, 25));
                return (reference, Edit(random, reference, random.NextDouble() * 0.6));
        }
    }

    private static string[] Words(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToArray();

    private static string[] Edit(Random random, string[] reference, double rate, bool insertionsOnly = false)
    {
        var result = new List<string>();
        foreach (var word in reference)
        {
            if (insertionsOnly || random.NextDouble() >= rate)
            {
                result.Add(word);
            }
            else
            {
                switch (random.Next(3))
                {
                    case 0:
                        break;
                    case 1:
                        result.Add(Vocabulary[random.Next(Vocabulary.Length)]);
                        break;
                    default:
                        result.Add(word);
                        result.Add(Vocabulary[random.Next(Vocabulary.Length)]);
                        break;
                }
            }

            if (insertionsOnly && random.Next(2) == 0)
            {
                result.Add(Vocabulary[random.Next(Vocabulary.Length)]);
            }
        }

        return [.. result];
    }

    private static void Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
