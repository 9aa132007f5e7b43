namespace EdgeVoice.Asr;

/// <summary>
/// A word of a hypothesis with its timing and scores. Times come from the encoder frames (40 ms each) the
/// word's tokens were emitted at: it starts at its first token's frame and ends one frame after its last.
/// </summary>
/// <param name="Text">The word (SentencePiece pieces joined, "▁" removed).</param>
/// <param name="StartFrame">Encoder frame of the first token.</param>
/// <param name="EndFrame">Encoder frame after the last token (exclusive).</param>
/// <param name="FrameDuration">Seconds per encoder frame.</param>
/// <param name="Confidence">The lowest posterior probability among the word's tokens, in [0, 1].</param>
/// <param name="AcousticScore">
/// The word's share of the hypothesis's log score: the score gained from the end of the previous word's last
/// token through this word's last token (the last word also takes the trailing blanks). The words' scores sum
/// to the hypothesis's <see cref="RecognitionHypothesis.Score"/>.
/// </param>
public sealed record RecognizedWord(string Text, int StartFrame, int EndFrame, double FrameDuration, float Confidence, double AcousticScore)
{
    /// <summary>Start time in seconds.</summary>
    public double Start => StartFrame * FrameDuration;

    /// <summary>End time in seconds.</summary>
    public double End => EndFrame * FrameDuration;

    /// <inheritdoc/>
    public override string ToString() => $"{Text} [{Start:F2}-{End:F2} s, conf {Confidence:F2}]";
}
