namespace EdgeVoice.Scoring;

/// <summary>
/// The word-distance costs of sclite's default alignment (SCTK <c>wwd_WORD</c>): one source of truth.
/// </summary>
public static class ScliteCosts
{
    /// <summary>Cost of aligning two equal words.</summary>
    public const int Correct = 0;

    /// <summary>Cost of aligning two different words.</summary>
    public const int Substitution = 4;

    /// <summary>Cost of a reference word with no hypothesis counterpart.</summary>
    public const int Deletion = 3;

    /// <summary>Cost of a hypothesis word with no reference counterpart.</summary>
    public const int Insertion = 3;
}
