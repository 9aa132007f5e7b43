using System.Runtime.CompilerServices;
namespace EdgeVoice.Asr.Biasing;

/// <summary>
/// Contextual biasing by shallow fusion: the token sequences of a list of phrases in a prefix trie with
/// failure links (Aho–Corasick), so one step per emitted token tells a hypothesis how far it is into any phrase.
/// Every token that extends a partial match earns the phrase's boost; when the match breaks, the hypothesis
/// falls back (through failure links) to the longest suffix that is still a phrase prefix and gives back the
/// bonus of the tokens it dropped, except the bonus of phrases it completed on the way, which it keeps.
/// </summary>
/// <remarks>
/// Built once per context (per user or per request) and shared read-only by any number of streams; the model
/// is untouched. Build cost is linear in the total number of phrase tokens (docs/RESULTS.md, "Contextual
/// biasing"). Where two phrases share a prefix the shared tokens earn the larger boost. After a phrase that no
/// longer phrase continues is completed, matching restarts at the root, so a phrase that begins inside the
/// one just completed is not found; and a token shared by a completed phrase and an overlapping partial match
/// can earn both bonuses. docs/biasing.md explains the scoring.
/// </remarks>
public sealed class ContextGraph
{
    /// <summary>
    /// Bonus per matched token when a phrase gives none: 1.5 (natural log), the default context score of icefall's
    /// and sherpa-onnx's transducer biasing; tune per application with the entity evaluation of issue 5.
    /// </summary>
    public const float DefaultBoost = 1.5f;

    private const int Root = 0;

    private readonly Dictionary<long, int> _children;
    private readonly int[] _fail;
    private readonly int[] _parent;
    private readonly int[] _token;
    private readonly float[] _score;
    private readonly float[] _completed;
    private readonly int[] _phraseEndingHere;
    private readonly int[] _childCount;
    private readonly int[] _rootChild;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ContextGraph(List<(int[] Tokens, float Boost)> phrases)
    {
        _children = new Dictionary<long, int>();
        var parent = new List<int> { -1 };
        var token = new List<int> { -1 };
        var edgeBonus = new List<float> { 0f };
        var phraseEnd = new List<int> { -1 };
        for (int p = 0; p < phrases.Count; p++)
        {
            (int[] tokens, float boost) = phrases[p];
            int node = Root;
            foreach (int t in tokens)
            {
                long key = Key(node, t);
                if (!_children.TryGetValue(key, out int child))
                {
                    child = parent.Count;
                    _children.Add(key, child);
                    parent.Add(node);
                    token.Add(t);
                    edgeBonus.Add(boost);
                    phraseEnd.Add(-1);
                }
                else
                {
                    edgeBonus[child] = Math.Max(edgeBonus[child], boost);
                }

                node = child;
            }

            if (phraseEnd[node] < 0)
            {
                phraseEnd[node] = p;
            }
        }

        int n = parent.Count;
        _parent = [.. parent];
        _token = [.. token];
        _phraseEndingHere = [.. phraseEnd];
        _fail = new int[n];
        _score = new float[n];
        _completed = new float[n];
        _childCount = new int[n];
        for (int i = 1; i < n; i++)
        {
            _childCount[_parent[i]]++;
        }

        // Nodes were numbered in insertion order, not by depth; failure links need every shallower node first.
        var depth = new int[n];
        var order = new int[n];
        for (int i = 1; i < n; i++)
        {
            depth[i] = depth[_parent[i]] + 1; // a parent is always created before its children
        }

        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(depth, order);
        var output = new float[n];
        foreach (int node in order.AsSpan(1))
        {
            int p = _parent[node];
            _score[node] = _score[p] + edgeBonus[node];
            int f = Root;
            if (p != Root)
            {
                f = _fail[p];
                while (true)
                {
                    if (_children.TryGetValue(Key(f, _token[node]), out int next))
                    {
                        f = next;
                        break;
                    }

                    if (f == Root)
                    {
                        break;
                    }

                    f = _fail[f];
                }
            }

            _fail[node] = f;
            output[node] = Math.Max(_phraseEndingHere[node] >= 0 ? _score[node] : 0f, output[f]);
            _completed[node] = Math.Max(_completed[p], output[node]);
        }

        PhraseCount = phrases.Count;
        MaxTokenId = phrases.Count == 0 ? -1 : phrases.Max(x => x.Tokens.Max());
        _rootChild = new int[MaxTokenId + 1]; // most hypotheses sit at the root: one array read instead of a hash lookup
        Array.Fill(_rootChild, -1);
        for (int i = 1; i < n; i++)
        {
            if (_parent[i] == Root)
            {
                _rootChild[_token[i]] = i;
            }
        }
    }

    /// <summary>Phrases in the graph.</summary>
    public int PhraseCount { get; }

    /// <summary>Trie nodes, root included.</summary>
    public int NodeCount => _fail.Length;

    /// <summary>Largest token id of any phrase (−1 for an empty graph); must be below the model's vocabulary size.</summary>
    public int MaxTokenId { get; }

    /// <summary>A graph over <paramref name="phrases"/>, encoded with <paramref name="encoder"/>.</summary>
    /// <exception cref="ArgumentException">A phrase is blank, or a boost is not a positive finite number.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ContextGraph Build(IEnumerable<ContextPhrase> phrases, SentencePieceBpeEncoder encoder, float defaultBoost = DefaultBoost)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        ArgumentNullException.ThrowIfNull(encoder);
        var problems = new List<string>();
        var encoded = new List<(int[], float)>();
        foreach (ContextPhrase phrase in phrases)
        {
            int[] tokens = string.IsNullOrWhiteSpace(phrase.Text) ? [] : encoder.Encode(phrase.Text);
            if (tokens.Length == 0)
            {
                problems.Add($"phrase {encoded.Count + problems.Count + 1} is blank");
                continue;
            }

            encoded.Add((tokens, phrase.Boost ?? defaultBoost));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid context: " + string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : "") + ".", nameof(phrases));
        }

        return FromTokens(encoded, defaultBoost);
    }

    /// <summary>A graph over phrases already given as token ids, each with its boost per token.</summary>
    /// <exception cref="ArgumentException">A phrase is empty, holds a negative id, or a boost is not a positive finite number.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ContextGraph FromTokens(IEnumerable<(int[] Tokens, float Boost)> phrases, float defaultBoost = DefaultBoost)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var list = phrases.ToList();
        var problems = new List<string>();
        if (!float.IsFinite(defaultBoost) || defaultBoost <= 0)
        {
            problems.Add($"default boost {defaultBoost} is not a positive finite number");
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Tokens is null || list[i].Tokens.Length == 0)
            {
                problems.Add($"phrase {i + 1} has no tokens");
            }
            else if (list[i].Tokens.Any(t => t < 0))
            {
                problems.Add($"phrase {i + 1} holds a negative token id");
            }

            if (!float.IsFinite(list[i].Boost) || list[i].Boost <= 0)
            {
                problems.Add($"phrase {i + 1} has boost {list[i].Boost}; use a positive finite number");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid context: " + string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : "") + ".", nameof(phrases));
        }

        return new ContextGraph(list);
    }

    /// <summary>The bonus a hypothesis in <paramref name="state"/> has in its score.</summary>
    public float BonusIn(ContextState state) => state.Kept + _score[state.Node];

    /// <summary>
    /// The state after emitting <paramref name="token"/> from <paramref name="state"/>, and the bonus to add to the
    /// hypothesis's score for it (negative when a partial match breaks and its bonus is given back).
    /// </summary>
    public ContextState Next(ContextState state, int token, out float bonus)
    {
        int from = state.Node;
        int node = Advance(from, token, out bool extended);
        float kept = state.Kept;
        if (!extended)
        {
            kept += _completed[from];
        }

        if (_childCount[node] == 0 && node != Root)
        {
            kept += _score[node];
            node = Root;
        }

        bonus = kept + _score[node] - (state.Kept + _score[from]);
        return new ContextState(node, kept);
    }

    /// <summary>
    /// <see cref="Next"/> for every token id below <paramref name="bonus"/>.Length from a state at <paramref name="node"/>:
    /// the bonus, the next node and what the next state's <c>Kept</c> gains. None depends on the state's own
    /// <c>Kept</c>, so a search can cache the expansion of a node.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Expand(int node, Span<float> bonus, Span<int> nextNode, Span<float> keptGain)
    {
        for (int token = 0; token < bonus.Length; token++)
        {
            ContextState next = Next(new ContextState(node, 0f), token, out bonus[token]);
            nextNode[token] = next.Node;
            keptGain[token] = next.Kept;
        }
    }

    /// <summary>
    /// What to add to a finished hypothesis's score: minus the bonus of its unfinished partial match (the bonus of
    /// phrases completed inside that match is kept).
    /// </summary>
    public float FinalAdjustment(ContextState state) => _completed[state.Node] - _score[state.Node];

    /// <summary>The plain Aho–Corasick step: the deepest node whose path is a suffix of the node's path + token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int Advance(int node, int token, out bool extended)
    {
        extended = true;
        while (true)
        {
            if (node == Root)
            {
                int child = (uint)token < (uint)_rootChild.Length ? _rootChild[token] : -1;
                extended = child >= 0;
                return extended ? child : Root;
            }

            if (_children.TryGetValue(Key(node, token), out int next))
            {
                return next;
            }

            extended = false;
            node = _fail[node];
        }
    }

    /// <summary>The failure link of a node.</summary>
    internal int FailureOf(int node) => _fail[node];

    /// <summary>The tokens from the root to a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int[] PathOf(int node)
    {
        var path = new List<int>();
        for (; node != Root; node = _parent[node])
        {
            path.Add(_token[node]);
        }

        path.Reverse();
        return [.. path];
    }

    /// <summary>Indexes of the phrases that end at this node's path, longest first (the node and its failure chain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal List<int> PhrasesEndingAt(int node)
    {
        var found = new List<int>();
        for (; node != Root; node = _fail[node])
        {
            if (_phraseEndingHere[node] >= 0)
            {
                found.Add(_phraseEndingHere[node]);
            }
        }

        return found;
    }

    private static long Key(int node, int token) => ((long)node << 32) | (uint)token;
}
