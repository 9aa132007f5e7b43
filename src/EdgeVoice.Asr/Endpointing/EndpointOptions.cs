namespace EdgeVoice.Asr.Endpointing;

/// <summary>
/// The rules of one end-pointer. Trailing silence is measured from the decoder (frames since the best hypothesis's
/// last token) and, with <see cref="EndpointingOptions.SilenceEnergyDb"/>, also from the signal's energy.
/// <see cref="Final"/> and <see cref="Speculative"/> are the two defaults; docs/endpointing.md gives the reasoning.
/// </summary>
public sealed class EndpointOptions
{
    /// <summary>
    /// The final end-pointer's defaults. Rule 1, 2.4 s: sherpa-onnx's default for an utterance with nothing decoded
    /// (long, so a user who hesitates before speaking is not cut off). Rule 2, 0.5 s: Kaldi's shortest trailing
    /// silence after confident speech; issue 5 asks for a median latency of at most 600 ms, and decisions come once
    /// per 320 ms chunk, so the threshold must leave about 100 ms on average. Rule 3, 20 s: Kaldi's and sherpa-onnx's
    /// maximum utterance length (voice commands are far shorter).
    /// </summary>
    public static EndpointOptions Final { get; } = new();

    /// <summary>
    /// The speculative end-pointer's defaults: rules 1 and 2 fire 200 ms earlier than <see cref="Final"/>'s (the
    /// reference design's speculative end-pointer is tuned to be about 200 ms faster), rule 3 is the same.
    /// </summary>
    public static EndpointOptions Speculative { get; } = new() { SilenceBeforeSpeech = 2.2, SilenceAfterSpeech = 0.3 };

    /// <summary>Rule 1: seconds of trailing silence that end an utterance in which nothing was decoded (0 disables).</summary>
    public double SilenceBeforeSpeech { get; init; } = 2.4;

    /// <summary>Rule 2: seconds of trailing silence that end an utterance after something was decoded (0 disables).</summary>
    public double SilenceAfterSpeech { get; init; } = 0.5;

    /// <summary>Rule 3: seconds after which an utterance ends whatever is heard (0 disables).</summary>
    public double MaxUtteranceLength { get; init; } = 20.0;

    /// <summary>The rule that fires for <paramref name="input"/> (rule 3 first, then 1 or 2), or <see cref="EndpointRule.None"/>.</summary>
    /// <param name="input">The utterance so far.</param>
    /// <param name="frameDuration">Seconds per encoder frame.</param>
    public EndpointRule Detect(EndpointInput input, double frameDuration)
    {
        double length = input.UtteranceFrames * frameDuration;
        double silence = input.TrailingSilenceFrames * frameDuration;
        const double Tolerance = 1e-9; // frame counts × 0.04 s must reach thresholds that are exact multiples
        if (MaxUtteranceLength > 0 && length + Tolerance >= MaxUtteranceLength)
        {
            return EndpointRule.MaxUtteranceLength;
        }

        if (!input.AnythingDecoded)
        {
            return SilenceBeforeSpeech > 0 && silence + Tolerance >= SilenceBeforeSpeech ? EndpointRule.SilenceBeforeSpeech : EndpointRule.None;
        }

        return SilenceAfterSpeech > 0 && silence + Tolerance >= SilenceAfterSpeech ? EndpointRule.SilenceAfterSpeech : EndpointRule.None;
    }

    /// <summary>Problems with these options (empty when valid), each naming the property.</summary>
    public List<string> Problems(string name)
    {
        var problems = new List<string>();
        void Check(double value, string property)
        {
            if (!double.IsFinite(value) || value < 0)
            {
                problems.Add($"{name}.{property} is {value}; use 0 (off) or a positive number of seconds");
            }
        }

        Check(SilenceBeforeSpeech, nameof(SilenceBeforeSpeech));
        Check(SilenceAfterSpeech, nameof(SilenceAfterSpeech));
        Check(MaxUtteranceLength, nameof(MaxUtteranceLength));
        return problems;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"rule 1 {SilenceBeforeSpeech:0.###} s silence before speech, rule 2 {SilenceAfterSpeech:0.###} s after, rule 3 {MaxUtteranceLength:0.###} s max";
}
