namespace EdgeVoice.Lm;

/// <summary>An n-gram as word ids (training only): value equality and a hash over the ids.</summary>
internal readonly struct NgramKey : IEquatable<NgramKey>
{
    private readonly int _hash;

    public NgramKey(int[] ids)
    {
        Ids = ids;
        var h = new HashCode();
        foreach (int id in ids)
        {
            h.Add(id);
        }

        _hash = h.ToHashCode();
    }

    public static NgramKey Empty { get; } = new([]);

    /// <summary>Orders n-grams word id by word id (deterministic ARPA output).</summary>
    public static IComparer<NgramKey> Comparer { get; } = Comparer<NgramKey>.Create(static (a, b) =>
    {
        for (int i = 0; i < Math.Min(a.Ids.Length, b.Ids.Length); i++)
        {
            int c = a.Ids[i].CompareTo(b.Ids[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Ids.Length.CompareTo(b.Ids.Length);
    });

    public int[] Ids { get; }

    /// <summary>All words but the last (the context).</summary>
    public NgramKey Prefix() => new(Ids[..^1]);

    /// <summary>All words but the first (the back-off n-gram).</summary>
    public NgramKey Suffix() => new(Ids[1..]);

    public bool Equals(NgramKey other) => Ids.AsSpan().SequenceEqual(other.Ids);

    public override bool Equals(object? obj) => obj is NgramKey k && Equals(k);

    public override int GetHashCode() => _hash;
}
