namespace EdgeVoice.Asr.Endpointing;

/// <summary>What the end-pointers look at after a decoded chunk, in encoder frames of the current utterance.</summary>
/// <param name="UtteranceFrames">Frames decoded since the utterance began.</param>
/// <param name="TrailingBlankFrames">Frames since the best hypothesis's last token (all frames when it has none).</param>
/// <param name="TrailingQuietFrames">Frames since the last frame louder than the energy threshold (<see cref="int.MaxValue"/> when energy is not used).</param>
/// <param name="LastTokenFrame">Frame of the best hypothesis's last token (−1: nothing decoded).</param>
/// <param name="LoudRunFrames">Consecutive frames louder than the energy threshold, ending at the latest one (0 when energy is not used).</param>
public readonly record struct EndpointInput(int UtteranceFrames, int TrailingBlankFrames, int TrailingQuietFrames, int LastTokenFrame, int LoudRunFrames = 0)
{
    /// <summary>Whether the utterance has decoded any token.</summary>
    public bool AnythingDecoded => LastTokenFrame >= 0;

    /// <summary>Trailing non-speech: blank frames, shortened to the quiet frames when signal energy is used.</summary>
    public int TrailingSilenceFrames => Math.Min(TrailingBlankFrames, TrailingQuietFrames);

    /// <summary>The input of an utterance whose frames are given as decoded-token flags (a scripted sequence).</summary>
    public static EndpointInput FromTokenFlags(ReadOnlySpan<bool> tokenAtFrame, int trailingQuietFrames = int.MaxValue, int loudRunFrames = 0)
    {
        int last = tokenAtFrame.LastIndexOf(true);
        return new EndpointInput(tokenAtFrame.Length, tokenAtFrame.Length - 1 - last, trailingQuietFrames, last, loudRunFrames);
    }
}
