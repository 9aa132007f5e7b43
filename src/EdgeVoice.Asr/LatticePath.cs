namespace EdgeVoice.Asr;

/// <summary>A path through a <see cref="WordLattice"/>: its words, arcs and scores.</summary>
/// <param name="Words">The words, in order.</param>
/// <param name="Arcs">Indices into <see cref="WordLattice.Arcs"/>.</param>
/// <param name="AcousticScore">Sum of the arcs' acoustic scores and the final node's weight.</param>
/// <param name="LmScore">Sum of the arcs' LM scores (absent ones count as 0).</param>
/// <param name="Score">The ranking score: acoustic + LM weight × LM.</param>
public sealed record LatticePath(IReadOnlyList<string> Words, IReadOnlyList<int> Arcs, double AcousticScore, double LmScore, double Score)
{
    /// <summary>The words joined by spaces.</summary>
    public string Text => string.Join(' ', Words);
}
