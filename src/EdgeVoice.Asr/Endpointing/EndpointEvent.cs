namespace EdgeVoice.Asr.Endpointing;

/// <summary>
/// An end-pointing event of a <see cref="RecognitionStream"/>: a speculative or final end-point with the lattice at
/// that moment, or a reset carrying the revised lattice (speech resumed after a speculative end-point, or the final
/// result differs from the speculative one).
/// </summary>
public sealed class EndpointEvent
{
    internal EndpointEvent(EndpointEventKind kind, EndpointRule rule, int utterance, double utteranceStart, double time, RecognitionResult result)
    {
        Kind = kind;
        Rule = rule;
        Utterance = utterance;
        UtteranceStart = utteranceStart;
        Time = time;
        Result = result;
    }

    /// <summary>Speculative, final or reset.</summary>
    public EndpointEventKind Kind { get; }

    /// <summary>The rule that fired (<see cref="EndpointRule.None"/> for a reset).</summary>
    public EndpointRule Rule { get; }

    /// <summary>Index of the utterance within the stream (0 first).</summary>
    public int Utterance { get; }

    /// <summary>Seconds into the stream where the utterance began; word times in <see cref="Result"/> are relative to it.</summary>
    public double UtteranceStart { get; }

    /// <summary>Seconds of stream audio decoded when the event was raised (its decision time).</summary>
    public double Time { get; }

    /// <summary>The utterance's result at the event: current for a speculative end-point, final for a final one, revised for a reset.</summary>
    public RecognitionResult Result { get; }

    /// <summary>The lattice of <see cref="Result"/>'s n-best.</summary>
    public WordLattice Lattice => Result.ToLattice($"utt-{Utterance}");

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind}{(Rule == EndpointRule.None ? "" : $" ({Rule})")} utterance {Utterance} at {Time:F2} s: {Result.Text}";
}
