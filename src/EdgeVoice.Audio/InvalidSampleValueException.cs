namespace EdgeVoice.Audio;

/// <summary>
/// A floating-point sample is NaN or infinite, which no audio tool writes on purpose; the file is corrupt.
/// </summary>
public sealed class InvalidSampleValueException : AudioException
{
    /// <summary>Creates the exception for the sample at <paramref name="frameIndex"/>, <paramref name="channel"/>.</summary>
    public InvalidSampleValueException(string sourceName, long frameIndex, int channel, double value)
        : base(
            sourceName,
            $"sample {frameIndex} (channel {channel}) is {Describe(value)}, but float samples must be finite",
            "the file is corrupt; re-export it from the tool that produced it")
    {
        FrameIndex = frameIndex;
        Channel = channel;
    }

    /// <summary>Index of the offending frame (one sample per channel), counted from the start of the data.</summary>
    public long FrameIndex { get; }

    /// <summary>Channel of the offending sample, from 0.</summary>
    public int Channel { get; }

    private static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
}
