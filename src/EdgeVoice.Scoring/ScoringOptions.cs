namespace EdgeVoice.Scoring;

/// <summary>How utterances are matched and compared. The defaults reproduce sclite run without <c>-s</c>.</summary>
public sealed class ScoringOptions
{
    /// <summary>The defaults, identical to <c>new ScoringOptions()</c>.</summary>
    public static ScoringOptions Default { get; } = new();

    /// <summary>
    /// Compare words, ids and speakers case-sensitively. Default false: like sclite without <c>-s</c>,
    /// ASCII letters A-Z are lower-cased before matching and alignment (other characters are left alone).
    /// </summary>
    public bool CaseSensitive { get; init; }

    /// <summary>Reference utterances without a hypothesis. Default <see cref="MissingHypothesisPolicy.Ignore"/>, as sclite.</summary>
    public MissingHypothesisPolicy MissingHypothesis { get; init; } = MissingHypothesisPolicy.Ignore;

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(MissingHypothesis))
        {
            throw new ArgumentException(
                $"ScoringOptions.MissingHypothesis has the undefined value {(int)MissingHypothesis}; use Ignore, ScoreAsEmpty or Error.");
        }
    }

    public override string ToString() =>
        $"CaseSensitive={CaseSensitive}, MissingHypothesis={MissingHypothesis}";
}
