namespace EdgeVoice.Asr;

/// <summary>
/// How a <see cref="Recognizer"/> decodes. Everything the model knows (features, chunk size, vocabulary) comes
/// from the model file, not from here. Defaults follow training/search.py and the model file's
/// <c>decoding</c> metadata (greedy with one symbol per frame; modified beam search with beam 4).
/// </summary>
public sealed class RecognizerOptions
{
    /// <summary>Largest beam accepted.</summary>
    public const int MaxBeamWidth = 64;

    /// <summary>Largest number of symbols per frame accepted.</summary>
    public const int MaxSymbolsPerFrameLimit = 16;

    /// <summary>The recipe's defaults: greedy, beam 4 when beam search is chosen, 1 symbol per frame, n-best 4.</summary>
    public static RecognizerOptions Default { get; } = new();

    /// <summary>The .evm model file (used by <see cref="Recognizer(RecognizerOptions)"/>).</summary>
    public string? ModelPath { get; init; }

    /// <summary>Search method (greedy: the recipe's default).</summary>
    public DecodingMethod DecodingMethod { get; init; } = DecodingMethod.Greedy;

    /// <summary>Hypotheses kept by modified beam search (4, training/search.py and decode.py's default).</summary>
    public int BeamWidth { get; init; } = 4;

    /// <summary>Symbols greedy search may emit per encoder frame (1, as the recipe trains and decodes). Beam search always emits at most one.</summary>
    public int MaxSymbolsPerFrame { get; init; } = 1;

    /// <summary>Hypotheses kept in <see cref="RecognitionResult.NBest"/> and its lattice (at most the beam width; greedy gives one).</summary>
    public int NBestSize { get; init; } = 4;

    /// <summary>Largest blank penalty (either sign) accepted.</summary>
    public const float MaxBlankPenalty = 20f;

    /// <summary>
    /// Subtracted from the blank's joiner logit at every step before the search compares tokens (0: none). A positive
    /// value makes the model emit more tokens (fewer deletions, more insertions), a negative one fewer. Models already
    /// carry the penalty their recipe chose (folded into the blank bias, <c>decoding.blank_penalty_folded</c>); this one
    /// adds to it. Choose it on dev data.
    /// </summary>
    public float BlankPenalty { get; init; }

    /// <summary>
    /// With a context (beam search): the most acoustic score, in nats, that biasing may cost the result. Among the
    /// final hypotheses, one whose score without its biasing bonus is more than this below the best such score is
    /// ranked after all those within it (the search keeps the best hypotheses by acoustic score in the beam beside the
    /// biased ones, so there is always one to fall back to). Infinity (the default): the scores with bonuses decide.
    /// </summary>
    public float BiasMaxAcousticLoss { get; init; } = float.PositiveInfinity;

    /// <summary>Checks every option and reports all problems at once.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message lists each problem and its valid range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(DecodingMethod))
        {
            problems.Add($"DecodingMethod {(int)DecodingMethod} is not Greedy or ModifiedBeamSearch");
        }

        if (BeamWidth is < 1 or > MaxBeamWidth)
        {
            problems.Add($"BeamWidth is {BeamWidth}; use 1 to {MaxBeamWidth}");
        }

        if (MaxSymbolsPerFrame is < 1 or > MaxSymbolsPerFrameLimit)
        {
            problems.Add($"MaxSymbolsPerFrame is {MaxSymbolsPerFrame}; use 1 to {MaxSymbolsPerFrameLimit}");
        }

        if (!float.IsFinite(BlankPenalty) || Math.Abs(BlankPenalty) > MaxBlankPenalty)
        {
            problems.Add($"BlankPenalty is {BlankPenalty}; use -{MaxBlankPenalty} to {MaxBlankPenalty}");
        }

        if (float.IsNaN(BiasMaxAcousticLoss) || BiasMaxAcousticLoss < 0)
        {
            problems.Add($"BiasMaxAcousticLoss is {BiasMaxAcousticLoss}; use 0 or more (infinity: no limit)");
        }

        if (NBestSize < 1)
        {
            problems.Add($"NBestSize is {NBestSize}; use 1 or more");
        }

        if (ModelPath is not null && string.IsNullOrWhiteSpace(ModelPath))
        {
            problems.Add("ModelPath is blank; give the path of a .evm model file");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid recognizer options: " + string.Join("; ", problems) + ".");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => (DecodingMethod == DecodingMethod.Greedy
        ? $"greedy (max {MaxSymbolsPerFrame} symbol(s)/frame)"
        : $"modified beam search (beam {BeamWidth}, n-best {NBestSize})")
        + (BlankPenalty == 0f ? string.Empty : $", blank penalty {BlankPenalty:0.###}")
        + (float.IsPositiveInfinity(BiasMaxAcousticLoss) ? string.Empty : $", biasing costs at most {BiasMaxAcousticLoss:0.###} nats")
        + $", model {ModelPath ?? "(given)"}";
}
