namespace EdgeVoice.Lm;

/// <summary>
/// A prefix tree of piece sequences (per-call scratch of <see cref="LstmLanguageModel"/>): node 0 is the root (the
/// state after &lt;s&gt;); every other node is one piece after its parent's prefix. Sentences that share a prefix
/// share its nodes, so its LSTM steps run once.
/// </summary>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> _children = new();

    public List<int> Parent { get; } = [-1];

    public List<int> Token { get; } = [-1];

    public List<int> Depth { get; } = [0];

    /// <summary>Returns the child of <paramref name="node"/> for <paramref name="token"/>, adding it when new.</summary>
    public int Child(int node, int token)
    {
        long key = ((long)node << 32) | (uint)token;
        if (!_children.TryGetValue(key, out int child))
        {
            child = Parent.Count;
            _children[key] = child;
            Parent.Add(node);
            Token.Add(token);
            Depth.Add(Depth[node] + 1);
        }

        return child;
    }

    public int Count => Parent.Count;
}
