namespace EdgeVoice.Asr.Endpointing;

/// <summary>
/// Runs the final and speculative end-pointers over one stream's utterances and decides the events. After each
/// decoded chunk <see cref="Update"/> is given the utterance's <see cref="EndpointInput"/>; it asks for the current
/// result only when an event needs one. Protocol per utterance: zero or more (SpeculativeEndpoint, then Reset with
/// the revised result when speech resumes: the decoder emits words that change the text, or, with an energy test,
/// <see cref="EndpointingOptions.SpeechResumeFrames"/> loud frames in a row), then FinalEndpoint, preceded by a Reset when the final text differs
/// from the pending speculative one. When both fire on the same chunk the speculative event comes first, so every
/// FinalEndpoint follows a SpeculativeEndpoint of the same utterance.
/// </summary>
internal sealed class EndpointTracker
{
    private readonly EndpointingOptions _options;
    private readonly double _frameDuration;
    private string? _speculativeText;
    private int _speculativeLastToken;

    public EndpointTracker(EndpointingOptions options, double frameDuration)
    {
        _options = options;
        _frameDuration = frameDuration;
    }

    /// <summary>Index of the current utterance.</summary>
    public int Utterance { get; private set; }

    /// <summary>Seconds into the stream where the current utterance began.</summary>
    public double UtteranceStart { get; private set; }

    /// <summary>Whether a speculative end-point is pending (fired and not yet reset or finalised).</summary>
    public bool SpeculativePending => _speculativeText is not null;

    /// <summary>
    /// Checks the rules after a chunk; adds events to <paramref name="events"/>. Returns true when the final
    /// end-pointer fired: the caller starts a fresh utterance and then calls <see cref="StartUtterance"/>.
    /// </summary>
    /// <param name="input">The current utterance.</param>
    /// <param name="time">Seconds of stream audio decoded.</param>
    /// <param name="result">Builds the current result of the utterance (final or not).</param>
    /// <param name="events">Receives the events.</param>
    public bool Update(EndpointInput input, double time, Func<bool, RecognitionResult> result, List<EndpointEvent> events)
    {
        RecognitionResult? current = null;
        if (_speculativeText is not null && _options.SpeechResumeFrames > 0 && input.LoudRunFrames >= _options.SpeechResumeFrames)
        {
            // The talker is speaking again, whether or not the decoder has words for it yet: withdraw the
            // speculative result now, so downstream work on it stops before the words arrive.
            current = result(false);
            events.Add(Event(EndpointEventKind.Reset, EndpointRule.None, time, current));
            _speculativeText = null;
        }
        else if (_speculativeText is not null && input.LastTokenFrame != _speculativeLastToken)
        {
            current = result(false);
            if (current.Text != _speculativeText)
            {
                events.Add(Event(EndpointEventKind.Reset, EndpointRule.None, time, current));
                _speculativeText = null;
            }
            else
            {
                _speculativeLastToken = input.LastTokenFrame; // the same words from another path: nothing to revise
            }
        }

        EndpointRule final = _options.Final.Detect(input, _frameDuration);
        EndpointRule speculative = _options.Speculative.Detect(input, _frameDuration);
        if (_speculativeText is null && (speculative != EndpointRule.None || final != EndpointRule.None))
        {
            current ??= result(false);
            events.Add(Event(EndpointEventKind.SpeculativeEndpoint, speculative == EndpointRule.None ? final : speculative, time, current));
            _speculativeText = current.Text;
            _speculativeLastToken = input.LastTokenFrame;
        }

        if (final == EndpointRule.None)
        {
            return false;
        }

        Finish(final, time, result(true), events);
        return true;
    }

    /// <summary>
    /// Closes the current utterance because the input ended, when it holds anything (a token or a pending speculative
    /// end-point): a Reset if the text changed, then FinalEndpoint. Returns whether it did.
    /// </summary>
    public bool FinishInput(EndpointInput input, double time, Func<bool, RecognitionResult> result, List<EndpointEvent> events)
    {
        if (!input.AnythingDecoded && _speculativeText is null)
        {
            return false;
        }

        Finish(EndpointRule.InputFinished, time, result(true), events);
        return true;
    }

    /// <summary>Begins the next utterance at <paramref name="start"/> seconds into the stream.</summary>
    public void StartUtterance(double start)
    {
        Utterance++;
        UtteranceStart = start;
        _speculativeText = null;
    }

    private void Finish(EndpointRule rule, double time, RecognitionResult final, List<EndpointEvent> events)
    {
        if (_speculativeText is not null && final.Text != _speculativeText)
        {
            events.Add(Event(EndpointEventKind.Reset, EndpointRule.None, time, final));
        }

        events.Add(Event(EndpointEventKind.FinalEndpoint, rule, time, final));
        _speculativeText = null;
    }

    private EndpointEvent Event(EndpointEventKind kind, EndpointRule rule, double time, RecognitionResult result) =>
        new(kind, rule, Utterance, UtteranceStart, time, result);
}
