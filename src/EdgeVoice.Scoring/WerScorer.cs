namespace EdgeVoice.Scoring;

/// <summary>
/// Scores hypotheses against references the way NIST sclite does in transcript mode
/// (<c>sclite -r ref.trn trn -h hyp.trn trn -i rm</c>): every hypothesis utterance is aligned with the
/// reference of the same id, and the counts are summed per speaker and in total.
/// </summary>
public static class WerScorer
{
    private const string InMemoryReferences = "(in-memory references)";
    private const string InMemoryHypotheses = "(in-memory hypotheses)";
    private const string InMemoryPairs = "(in-memory pairs)";

    /// <summary>Reads two trn files and scores them.</summary>
    public static ScoringReport ScoreFiles(string referencePath, string hypothesisPath, ScoringOptions? options = null) =>
        Score(TrnFile.Read(referencePath), TrnFile.Read(hypothesisPath), options);

    /// <summary>
    /// Scores each hypothesis against the reference with the same id, in hypothesis order.
    /// Throws <see cref="TrnFormatException"/> for duplicate ids, a hypothesis without reference,
    /// a speaker that differs between reference and hypothesis, or (per <see cref="ScoringOptions.MissingHypothesis"/>)
    /// a reference without hypothesis.
    /// </summary>
    public static ScoringReport Score(IReadOnlyList<TrnUtterance> references, IReadOnlyList<TrnUtterance> hypotheses, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(hypotheses);
        options ??= ScoringOptions.Default;
        options.Validate();

        var referenceById = IndexById(references, InMemoryReferences, options, "reference");
        IndexById(hypotheses, InMemoryHypotheses, options, "hypothesis");

        var alignments = new List<UtteranceAlignment>(hypotheses.Count);
        var scored = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hypothesis = hypotheses[i];
            var id = Fold(hypothesis.Id, options);
            if (!referenceById.TryGetValue(id, out var reference))
            {
                throw Problem(hypothesis, i, InMemoryHypotheses,
                    $"hypothesis utterance '{hypothesis.Id}' has no reference utterance with the same id.");
            }

            var speaker = Fold(hypothesis.Speaker, options);
            var referenceSpeaker = Fold(reference.Utterance.Speaker, options);
            if (!string.Equals(speaker, referenceSpeaker, StringComparison.Ordinal))
            {
                throw Problem(hypothesis, i, InMemoryHypotheses,
                    $"utterance '{hypothesis.Id}' has speaker '{hypothesis.Speaker}' but its reference has speaker '{reference.Utterance.Speaker}'.");
            }

            scored.Add(id);
            alignments.Add(Align(id, speaker, reference.Utterance.Words, hypothesis.Words, options));
        }

        for (var i = 0; i < references.Count; i++)
        {
            var reference = references[i];
            var id = Fold(reference.Id, options);
            if (scored.Contains(id))
            {
                continue;
            }

            switch (options.MissingHypothesis)
            {
                case MissingHypothesisPolicy.Ignore:
                    break;
                case MissingHypothesisPolicy.ScoreAsEmpty:
                    alignments.Add(Align(id, Fold(reference.Speaker, options), reference.Words, [], options));
                    break;
                default:
                    throw Problem(reference, i, InMemoryReferences,
                        $"reference utterance '{reference.Id}' has no hypothesis (MissingHypothesis is Error).");
            }
        }

        return new ScoringReport(alignments, options);
    }

    /// <summary>
    /// Scores in-memory pairs whose speakers are given explicitly (for example by a manifest), in the given order.
    /// Throws <see cref="TrnFormatException"/> when two pairs share an id.
    /// </summary>
    public static ScoringReport Score(IEnumerable<ScoringPair> pairs, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        options ??= ScoringOptions.Default;
        options.Validate();

        var alignments = new List<UtteranceAlignment>();
        var firstItemOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var item = 0;
        foreach (var pair in pairs)
        {
            item++;
            ArgumentNullException.ThrowIfNull(pair);
            var id = Fold(pair.Id, options);
            if (!firstItemOfId.TryAdd(id, item))
            {
                throw new TrnFormatException(InMemoryPairs, item,
                    $"duplicate utterance id '{pair.Id}' (first used by item {firstItemOfId[id]}).");
            }

            alignments.Add(Align(id, Fold(pair.Speaker, options), pair.ReferenceWords, pair.HypothesisWords, options));
        }

        return new ScoringReport(alignments, options);
    }

    /// <summary>Lower-cases ASCII letters only, as sclite does by default; other characters are unchanged.</summary>
    internal static string FoldAscii(string text)
    {
        var firstUpper = text.AsSpan().IndexOfAnyInRange('A', 'Z');
        if (firstUpper < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
            }
        });
    }

    private static string Fold(string text, ScoringOptions options) =>
        options.CaseSensitive ? text : FoldAscii(text);

    private static UtteranceAlignment Align(
        string id, string speaker, IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis, ScoringOptions options)
    {
        var referenceWords = reference.Select(w => Fold(w, options)).ToArray();
        var hypothesisWords = hypothesis.Select(w => Fold(w, options)).ToArray();
        return new UtteranceAlignment(id, speaker, WordAligner.Align(referenceWords, hypothesisWords));
    }

    private static Dictionary<string, (TrnUtterance Utterance, int Index)> IndexById(
        IReadOnlyList<TrnUtterance> utterances, string inMemoryName, ScoringOptions options, string role)
    {
        var byId = new Dictionary<string, (TrnUtterance Utterance, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < utterances.Count; i++)
        {
            var utterance = utterances[i] ?? throw new ArgumentException($"The {role} list has a null item at index {i}.");
            var id = Fold(utterance.Id, options);
            if (byId.TryGetValue(id, out var first))
            {
                var where = first.Utterance.SourceLine > 0 ? $"line {first.Utterance.SourceLine}" : $"item {first.Index + 1}";
                var caseNote = options.CaseSensitive ? string.Empty : " (ids are compared ignoring ASCII case)";
                throw Problem(utterance, i, inMemoryName,
                    $"duplicate {role} utterance id '{utterance.Id}'{caseNote}; first used on {where}.");
            }

            byId.Add(id, (utterance, i));
        }

        return byId;
    }

    private static TrnFormatException Problem(TrnUtterance utterance, int index, string inMemoryName, string problem) =>
        utterance.SourceFile is { } file && utterance.SourceLine > 0
            ? new TrnFormatException(file, utterance.SourceLine, problem)
            : new TrnFormatException(inMemoryName, index + 1, problem);
}
