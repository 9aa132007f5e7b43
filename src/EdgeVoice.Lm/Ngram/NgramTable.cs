namespace EdgeVoice.Lm;

/// <summary>
/// The n-grams of one order, as a hashed trie: an n-gram is found by (index of its context — the (n−1)-gram of its
/// first words — in the table of order n−1, id of its last word). For order 1 the context index is 0.
/// An entry can be a placeholder (no probability, back-off 0): the context of a higher-order n-gram that the file
/// did not list itself.
/// </summary>
internal sealed class NgramTable
{
    private readonly Dictionary<long, int> _index = new();
    private readonly List<float> _logProb = [];
    private readonly List<float> _backoff = [];
    private readonly List<int> _context = [];
    private readonly List<int> _word = [];

    public int Count => _logProb.Count;

    /// <summary>Entries with a probability (placeholders excluded).</summary>
    public int RealCount { get; private set; }

    public static long Key(int context, int word) => ((long)context << 32) | (uint)word;

    public bool TryFind(int context, int word, out int entry) => _index.TryGetValue(Key(context, word), out entry);

    /// <summary>Adds an entry; returns its index, or −1 when it exists already with a probability.</summary>
    public int Add(int context, int word, float log10Prob, float log10Backoff)
    {
        if (_index.TryGetValue(Key(context, word), out int existing))
        {
            if (!float.IsNaN(_logProb[existing]))
            {
                return -1;
            }

            _logProb[existing] = log10Prob;
            _backoff[existing] = log10Backoff;
            if (!float.IsNaN(log10Prob))
            {
                RealCount++;
            }

            return existing;
        }

        int e = _logProb.Count;
        _index[Key(context, word)] = e;
        _logProb.Add(log10Prob);
        _backoff.Add(log10Backoff);
        _context.Add(context);
        _word.Add(word);
        if (!float.IsNaN(log10Prob))
        {
            RealCount++;
        }

        return e;
    }

    public float LogProb(int entry) => _logProb[entry];

    public float Backoff(int entry) => _backoff[entry];

    public int Context(int entry) => _context[entry];

    public int Word(int entry) => _word[entry];

    public bool HasProb(int entry) => !float.IsNaN(_logProb[entry]);
}
