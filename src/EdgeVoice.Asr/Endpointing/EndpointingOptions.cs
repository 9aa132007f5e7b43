namespace EdgeVoice.Asr.Endpointing;

/// <summary>The two end-pointers a stream runs (final and speculative) and how silence is measured.</summary>
public sealed class EndpointingOptions
{
    /// <summary>Both end-pointers at their defaults, silence from the decoder alone.</summary>
    public static EndpointingOptions Default { get; } = new();

    /// <summary>The end-pointer that closes an utterance (<see cref="EndpointOptions.Final"/>).</summary>
    public EndpointOptions Final { get; init; } = EndpointOptions.Final;

    /// <summary>The earlier end-pointer that lets downstream work start (<see cref="EndpointOptions.Speculative"/>).</summary>
    public EndpointOptions Speculative { get; init; } = EndpointOptions.Speculative;

    /// <summary>
    /// When set, a frame counts as silence only if the decoder emits nothing and the signal is quieter than this many
    /// dB relative to full scale (mean square over the 40 ms frame). Null (the default): decoder blanks alone, as
    /// sherpa-onnx does, because a level threshold depends on the microphone and the room; set it from the
    /// endpoint evaluation, e.g. −45.
    /// </summary>
    public double? SilenceEnergyDb { get; init; }

    /// <summary>
    /// When set, a frame counts as silence only if the decoder emits nothing and the signal is at least this many dB
    /// below the loudest 40 ms frame of the stream so far (and below <see cref="SilenceEnergyDb"/> when that is also
    /// set). Relative to the talker's own level, so it works for quiet voices, whispers and any microphone gain where a
    /// fixed level does not; e.g. 30. Null (the default): no relative test.
    /// </summary>
    public double? SilenceBelowPeakDb { get; init; }

    /// <summary>
    /// Encoder frames (40 ms each) decoded between end-point decisions while end-pointing is on: 1 (the default),
    /// so an end-pointer fires within 40 ms of crossing its threshold instead of waiting for the model's
    /// 8-frame (320 ms) chunk, which would add 160 ms to the median latency and make both end-pointers fire in the
    /// same chunk. The encoder is exactly causal, so smaller steps give the same outputs (tests check it); they cost
    /// some speed (matrix-vector instead of matrix-matrix products, measured in docs/RESULTS.md). 0 or more than
    /// the model's chunk: the model's chunk.
    /// </summary>
    public int DecisionFrames { get; init; } = 1;

    /// <summary>
    /// With an energy test (<see cref="SilenceEnergyDb"/> or <see cref="SilenceBelowPeakDb"/>), a pending speculative
    /// end-point is withdrawn with a Reset as soon as this many consecutive 40 ms frames are loud, even when the
    /// decoder has no words for the new speech yet. Default 3 (120 ms): longer than a click or a breath, shorter than
    /// a stressed syllable, so a talker who resumes after a hesitation is caught within about one syllable. Without
    /// it a premature speculative end-point is reset only once the decoder's text changes, which a model that
    /// deletes words may never do. 0 disables; unused without an energy test.
    /// </summary>
    public int SpeechResumeFrames { get; init; } = 3;

    /// <summary>Checks both end-pointers and reports every problem at once.</summary>
    /// <exception cref="ArgumentException">A value is out of range, or the speculative end-pointer is set to fire later than the final one.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        problems.AddRange(Final?.Problems(nameof(Final)) ?? [$"{nameof(Final)} is null"]);
        problems.AddRange(Speculative?.Problems(nameof(Speculative)) ?? [$"{nameof(Speculative)} is null"]);
        if (Final is not null && Speculative is not null)
        {
            if (Speculative.SilenceAfterSpeech > Final.SilenceAfterSpeech && Final.SilenceAfterSpeech > 0)
            {
                problems.Add($"Speculative.SilenceAfterSpeech ({Speculative.SilenceAfterSpeech} s) is longer than Final's ({Final.SilenceAfterSpeech} s); the speculative end-pointer must not fire later");
            }

            if (Speculative.SilenceBeforeSpeech > Final.SilenceBeforeSpeech && Final.SilenceBeforeSpeech > 0)
            {
                problems.Add($"Speculative.SilenceBeforeSpeech ({Speculative.SilenceBeforeSpeech} s) is longer than Final's ({Final.SilenceBeforeSpeech} s)");
            }
        }

        if (SilenceBelowPeakDb is { } rel && (!double.IsFinite(rel) || rel <= 0))
        {
            problems.Add($"SilenceBelowPeakDb is {rel}; use a positive number of dB below the loudest frame (e.g. 30) or null");
        }

        if (DecisionFrames < 0)
        {
            problems.Add($"DecisionFrames is {DecisionFrames}; use a positive number of encoder frames, or 0 for the model's chunk");
        }

        if (SpeechResumeFrames < 0)
        {
            problems.Add($"SpeechResumeFrames is {SpeechResumeFrames}; use a positive number of 40 ms frames, or 0 to disable");
        }

        if (SilenceEnergyDb is { } db && (!double.IsFinite(db) || db > 0))
        {
            problems.Add($"SilenceEnergyDb is {db}; use a level in dB below full scale (negative, e.g. -45) or null");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid end-pointing options: " + string.Join("; ", problems) + ".");
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"final: {Final}; speculative: {Speculative}; decisions every {DecisionFrames} frame(s); silence from {(SilenceEnergyDb is null && SilenceBelowPeakDb is null ? "decoder blanks" : "blanks and energy" + (SilenceEnergyDb is { } db ? $" below {db} dB" : "") + (SilenceBelowPeakDb is { } rel ? $" {rel} dB under the peak" : "") + (SpeechResumeFrames > 0 ? $", speech resumed after {SpeechResumeFrames} loud frame(s)" : ""))}";
}
