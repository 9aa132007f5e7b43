namespace EdgeVoice.Asr;

/// <summary>
/// A word arc of a <see cref="WordLattice"/>. Times are in encoder frames (<see cref="WordLattice.FrameDuration"/>
/// seconds each). The acoustic score is pushed toward the start of the lattice (see docs/lattice-format.md): along
/// any complete path, the arcs' acoustic scores plus the final node's weight sum to that hypothesis's log score.
/// </summary>
/// <param name="From">Source node.</param>
/// <param name="To">Destination node (always greater than <paramref name="From"/>: nodes are in topological order).</param>
/// <param name="Word">The word.</param>
/// <param name="StartFrame">First frame of the word.</param>
/// <param name="EndFrame">Frame after the word's last token (exclusive).</param>
/// <param name="AcousticScore">Acoustic log score (natural log).</param>
/// <param name="LmScore">Language-model log score, <see cref="float.NaN"/> until the lattice is rescored.</param>
public readonly record struct LatticeArc(int From, int To, string Word, int StartFrame, int EndFrame, float AcousticScore, float LmScore)
{
    /// <summary>True when the arc carries a language-model score.</summary>
    public bool HasLmScore => !float.IsNaN(LmScore);

    /// <summary><c>AcousticScore + lmWeight · LmScore</c> (an absent LM score counts as 0).</summary>
    public double Score(double lmWeight) => AcousticScore + (HasLmScore ? lmWeight * LmScore : 0.0);
}
