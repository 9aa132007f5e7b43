using System.Collections.Concurrent;

namespace EdgeVoice.Asr.Biasing;

/// <summary>
/// Turns text into the model's SentencePiece BPE token ids, using only the piece list of the model file.
/// The training tokenizer (training/prepare.py: SentencePiece <c>model_type=bpe</c>) stores pieces by
/// descending merge score, so a piece's id is its merge rank. Encoding follows SentencePiece's BPE:
/// upper-case the text (the recipe trains on upper case), split it at whitespace, start every word with
/// the word-boundary mark "▁", break the word into characters and repeatedly merge the adjacent pair whose
/// concatenation is a piece of lowest id, until no adjacent pair forms a piece.
/// </summary>
/// <remarks>
/// Limits: no Unicode normalisation (SentencePiece applies NFKC first; names in NFC upper case are
/// unaffected), no byte fallback (a run of characters that are not pieces becomes one unknown id, as in SentencePiece), and no
/// sampling or n-best segmentation. tests/EdgeVoice.Asr.Tests/Biasing checks it against the Python
/// SentencePiece output of training/tokenizer/bpe256.model.
/// </remarks>
public sealed class SentencePieceBpeEncoder
{
    /// <summary>SentencePiece's word-boundary mark.</summary>
    public const char WordBoundary = '\u2581';

    private readonly Dictionary<string, int> _ids;
    private readonly int _unknownId;
    private readonly ConcurrentDictionary<string, int[]> _words = new(StringComparer.Ordinal);

    /// <summary>Words remembered (contact lists repeat first and last names); beyond this, words are encoded each time.</summary>
    private const int MaxCachedWords = 100_000;

    /// <summary>An encoder over <paramref name="pieces"/> (indexed by id, best merge first).</summary>
    /// <param name="pieces">The model's pieces by id.</param>
    /// <param name="reservedIds">Ids that are never produced by merging (blank, unknown).</param>
    /// <param name="unknownId">Id given to characters that are not pieces.</param>
    public SentencePieceBpeEncoder(IReadOnlyList<string> pieces, IReadOnlyCollection<int> reservedIds, int unknownId)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(reservedIds);
        _ids = new Dictionary<string, int>(pieces.Count, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Count; id++)
        {
            if (!reservedIds.Contains(id) && pieces[id].Length > 0)
            {
                _ids.TryAdd(pieces[id], id);
            }
        }

        _unknownId = unknownId;
        Pieces = pieces;
    }

    /// <summary>The pieces by id.</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>
    /// The encoder of <paramref name="model"/>: its pieces; blank and <c>&lt;unk&gt;</c> (unknown; id 1 in the
    /// recipe when no piece has that name) are never merged into.
    /// </summary>
    public static SentencePieceBpeEncoder ForModel(TransducerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int unknown = -1;
        for (int i = 0; i < model.Tokens.Count; i++)
        {
            if (model.Tokens[i] == "<unk>")
            {
                unknown = i;
                break;
            }
        }

        if (unknown < 0)
        {
            unknown = model.BlankId == 1 ? 0 : 1;
        }

        return new SentencePieceBpeEncoder(model.Tokens, [model.BlankId, unknown], unknown);
    }

    /// <summary>The token ids of <paramref name="text"/>. Thread-safe.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var symbols = new List<string>();
        foreach (string word in text.ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (_words.TryGetValue(word, out int[]? cached))
            {
                ids.AddRange(cached);
                continue;
            }

            int start = ids.Count;
            EncodeWord(WordBoundary + word, symbols);
            bool previousUnknown = false;
            foreach (string symbol in symbols)
            {
                bool known = _ids.TryGetValue(symbol, out int id);
                if (!known && previousUnknown)
                {
                    continue; // SentencePiece gives a run of unknown characters one unknown id
                }

                ids.Add(known ? id : _unknownId);
                previousUnknown = !known;
            }

            if (_words.Count < MaxCachedWords)
            {
                _words.TryAdd(word, ids.GetRange(start, ids.Count - start).ToArray());
            }
        }

        return [.. ids];
    }

    /// <summary>The pieces of <paramref name="text"/> (unknown characters as themselves).</summary>
    public string[] EncodeAsPieces(string text) => Encode(text).Select(id => Pieces[id]).ToArray();

    private void EncodeWord(string word, List<string> symbols)
    {
        symbols.Clear();
        for (int i = 0; i < word.Length; i++)
        {
            bool pair = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]);
            symbols.Add(word.Substring(i, pair ? 2 : 1));
            i += pair ? 1 : 0;
        }

        while (symbols.Count > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (_ids.TryGetValue(symbols[i] + symbols[i + 1], out int rank) && rank < bestRank)
                {
                    best = i;
                    bestRank = rank;
                }
            }

            if (best < 0)
            {
                return;
            }

            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }
    }
}
