using EdgeVoice.Asr.Endpointing;

namespace EdgeVoice.Asr.Tests.Endpointing;

/// <summary>
/// Drives an <see cref="EndpointTracker"/> with a scripted decoder, one update per 40 ms frame: in the script a
/// letter is a frame where the decoder emitted that letter, '.' a blank frame. Events come back as
/// "S:text@frame", "R:text@frame", "F:text@frame/rule" (frame counted over the whole stream).
/// </summary>
internal sealed class EndpointScript
{
    public const double FrameDuration = 0.04;

    private readonly EndpointTracker _tracker;
    private readonly List<EndpointEvent> _events = [];
    private readonly List<bool> _flags = [];
    private string _text = "";
    private int _frame;

    public EndpointScript(EndpointingOptions? options = null) =>
        _tracker = new EndpointTracker(options ?? EndpointingOptions.Default, FrameDuration);

    /// <summary>Replaces the final result's text (a final result that differs from the partial one).</summary>
    public Func<string, string> FinalText { get; set; } = text => text;

    /// <summary>Replaces the text of the partial result at a frame of the utterance (another beam path).</summary>
    public Func<string, string> PartialText { get; set; } = text => text;

    public IReadOnlyList<EndpointEvent> Events => _events;

    public static RecognitionResult Result(string text, bool isFinal) =>
        new([new RecognitionHypothesis(text, [], [], [], [], 0)], [], 0, FrameDuration, isFinal);

    public EndpointScript Play(string script, int quietFrames = int.MaxValue, int loudRun = 0)
    {
        foreach (char c in script)
        {
            bool token = c != '.';
            _flags.Add(token);
            _text += token ? c.ToString() : "";
            _frame++;
            if (_tracker.Update(EndpointInput.FromTokenFlags(_flags.ToArray(), quietFrames, loudRun), _frame * FrameDuration, Build, _events))
            {
                _tracker.StartUtterance(_frame * FrameDuration);
                _flags.Clear();
                _text = "";
            }
        }

        return this;
    }

    /// <summary>
    /// Plays <paramref name="script"/> with the signal's energy scripted alongside: in <paramref name="energy"/> (same
    /// length) 'L' is a frame louder than the threshold and '.' a quiet one.
    /// </summary>
    public EndpointScript PlayWithEnergy(string script, string energy)
    {
        if (script.Length != energy.Length)
        {
            throw new ArgumentException("The token and energy scripts must have one character per frame each.");
        }

        int lastLoud = -1, run = 0;
        for (int i = 0; i < script.Length; i++)
        {
            bool loud = energy[i] == 'L';
            lastLoud = loud ? i : lastLoud;
            run = loud ? run + 1 : 0;
            Play(script[i].ToString(), quietFrames: i - lastLoud, loudRun: run);
        }

        return this;
    }

    public EndpointScript EndInput()
    {
        _tracker.FinishInput(EndpointInput.FromTokenFlags(_flags.ToArray()), _frame * FrameDuration, Build, _events);
        return this;
    }

    public string[] Log() => _events.Select(e =>
    {
        string kind = e.Kind switch
        {
            EndpointEventKind.SpeculativeEndpoint => "S",
            EndpointEventKind.Reset => "R",
            _ => "F",
        };
        int frame = (int)Math.Round(e.Time / FrameDuration);
        return e.Kind == EndpointEventKind.FinalEndpoint ? $"{kind}:{e.Result.Text}@{frame}/{e.Rule}" : $"{kind}:{e.Result.Text}@{frame}";
    }).ToArray();

    private RecognitionResult Build(bool isFinal) => Result(isFinal ? FinalText(_text) : PartialText(_text), isFinal);
}
