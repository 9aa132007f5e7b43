namespace EdgeVoice.Asr;

/// <summary>A per-stream search over joiner outputs, fed encoder frames (already projected by the joiner) chunk by chunk.</summary>
internal interface ITransducerSearch
{
    /// <summary>Encoder frames searched so far.</summary>
    int FramesSearched { get; }

    /// <summary>Frame of the best hypothesis's last token (−1 when it has none); end-pointing measures trailing silence from it.</summary>
    int LastTokenFrame { get; }

    /// <summary>Searches <paramref name="frames"/> frames of <c>[frames, JoinerDim]</c> projected encoder output.</summary>
    void Process(ReadOnlySpan<float> encoderProjected, int frames);

    /// <summary>The hypotheses so far, best first.</summary>
    IReadOnlyList<RecognitionHypothesis> Hypotheses(int count);
}
