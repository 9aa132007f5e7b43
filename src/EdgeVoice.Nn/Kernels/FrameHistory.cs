namespace EdgeVoice.Nn;

/// <summary>
/// The left context a causal convolution keeps between chunks: the last <c>history.Length / frameSize</c>
/// frames of everything seen so far, oldest first, time-major.
/// </summary>
public static class FrameHistory
{
    /// <summary>Replaces <paramref name="history"/> by the last frames of (history followed by input). Allocates nothing.</summary>
    /// <param name="history">Time-major frames of <paramref name="frameSize"/> floats, updated in place.</param>
    /// <param name="input">Time-major new frames (a whole number of frames); must not overlap the history.</param>
    /// <param name="frameSize">Floats per frame.</param>
    public static void Append(Span<float> history, ReadOnlySpan<float> input, int frameSize)
    {
        Guard.Positive(frameSize, nameof(frameSize));
        if (history.Length % frameSize != 0)
        {
            throw new ArgumentException($"The history must hold whole frames of {frameSize} floats.", nameof(history));
        }

        if (input.Length % frameSize != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {frameSize} floats.", nameof(input));
        }

        if (input.Length >= history.Length)
        {
            input[(input.Length - history.Length)..].CopyTo(history);
            return;
        }

        int keep = history.Length - input.Length;
        history[input.Length..].CopyTo(history[..keep]);
        input.CopyTo(history[keep..]);
    }
}
