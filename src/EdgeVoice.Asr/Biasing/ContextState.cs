namespace EdgeVoice.Asr.Biasing;

/// <summary>
/// Where one hypothesis stands in a <see cref="ContextGraph"/>: the trie node of its current partial match
/// and the bonus it has kept from phrases already completed. The bonus counted in the hypothesis's score is
/// <c>Kept</c> plus the node's accumulated bonus (<see cref="ContextGraph.BonusIn"/>).
/// </summary>
/// <param name="Node">Trie node (0 = root: no partial match).</param>
/// <param name="Kept">Bonus of completed phrases, never given back.</param>
public readonly record struct ContextState(int Node, float Kept)
{
    /// <summary>The state of a hypothesis that has emitted nothing.</summary>
    public static ContextState Start => default;
}
