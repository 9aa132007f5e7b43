namespace EdgeVoice.Lm;

/// <summary>
/// Splits words into the pieces of a sentencepiece unigram model, as sentencepiece's own encoder does: each word
/// becomes "▁" + word, and the segmentation with the highest sum of piece scores wins (Viterbi). A character no
/// piece covers becomes the unknown piece with score (lowest piece score − 10), sentencepiece's penalty, and a run
/// of them one unknown piece. Control
/// pieces (&lt;s&gt;, &lt;/s&gt;) and the unknown piece never match text. Immutable and thread-safe.
/// </summary>
public sealed class UnigramTokenizer
{
    /// <summary>The word-boundary mark that starts every word's first piece (U+2581).</summary>
    public const char WordBoundary = '\u2581';

    /// <summary>sentencepiece's penalty below the lowest piece score for an unknown character.</summary>
    public const float UnknownPenalty = 10f;

    private readonly Dictionary<string, int> _ids;
    private readonly float[] _scores;
    private readonly int _maxPieceLength;
    private readonly float _unknownScore;

    /// <summary>Creates the tokenizer from the model's pieces (index = id) and their scores.</summary>
    /// <exception cref="ArgumentException">Counts differ, a piece is empty or repeated, a score is not finite, or the unknown id is out of range.</exception>
    public UnigramTokenizer(IReadOnlyList<string> pieces, IReadOnlyList<float> scores, int unknownId, IReadOnlyCollection<int> controlIds)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(controlIds);
        if (pieces.Count != scores.Count)
        {
            throw new ArgumentException($"{pieces.Count} pieces but {scores.Count} scores.");
        }

        if (unknownId < 0 || unknownId >= pieces.Count)
        {
            throw new ArgumentException($"The unknown id {unknownId} is not a piece id in [0, {pieces.Count}).");
        }

        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        _scores = scores.ToArray();
        Pieces = pieces.ToArray();
        UnknownId = unknownId;
        float min = float.PositiveInfinity;
        for (int i = 0; i < pieces.Count; i++)
        {
            if (string.IsNullOrEmpty(pieces[i]) || !float.IsFinite(scores[i]))
            {
                throw new ArgumentException($"Piece {i} is empty or has a non-finite score.");
            }

            if (i == unknownId || controlIds.Contains(i))
            {
                continue;
            }

            if (!_ids.TryAdd(pieces[i], i))
            {
                throw new ArgumentException($"The piece '{pieces[i]}' appears twice (ids {_ids[pieces[i]]} and {i}).");
            }

            _maxPieceLength = Math.Max(_maxPieceLength, pieces[i].Length);
            min = Math.Min(min, scores[i]);
        }

        _unknownScore = (float.IsFinite(min) ? min : 0f) - UnknownPenalty;
    }

    /// <summary>The pieces; index = id.</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>Id of the unknown piece.</summary>
    public int UnknownId { get; }

    /// <summary>Appends the piece ids of <paramref name="word"/> (one word, no white space) to <paramref name="ids"/>.</summary>
    public void EncodeWord(string word, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(ids);
        string text = WordBoundary + word;
        int n = text.Length;
        Span<float> best = n < 128 ? stackalloc float[n + 1] : new float[n + 1];
        Span<int> piece = n < 128 ? stackalloc int[n + 1] : new int[n + 1];
        Span<int> from = n < 128 ? stackalloc int[n + 1] : new int[n + 1];
        best.Fill(float.NegativeInfinity);
        best[0] = 0;
        var lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int start = 0; start < n; start++)
        {
            if (float.IsNegativeInfinity(best[start]))
            {
                continue;
            }

            bool single = false;
            for (int len = 1; len <= _maxPieceLength && start + len <= n; len++)
            {
                if (lookup.TryGetValue(text.AsSpan(start, len), out int id))
                {
                    single |= len == 1;
                    Relax(start, start + len, best[start] + _scores[id], id, best, piece, from);
                }
            }

            if (!single)
            {
                Relax(start, start + 1, best[start] + _unknownScore, UnknownId, best, piece, from);
            }
        }

        int first = ids.Count;
        for (int end = n; end > 0; end = from[end])
        {
            // Runs of unknown characters become one unknown piece, as in sentencepiece.
            if (!(piece[end] == UnknownId && ids.Count > first && ids[^1] == UnknownId))
            {
                ids.Add(piece[end]);
            }
        }

        ids.Reverse(first, ids.Count - first);
    }

    private static void Relax(int start, int end, float score, int id, Span<float> best, Span<int> piece, Span<int> from)
    {
        if (score > best[end])
        {
            best[end] = score;
            piece[end] = id;
            from[end] = start;
        }
    }
}
