namespace EdgeVoice.Audio;

/// <summary>
/// The WAV header is malformed or inconsistent: not a RIFF/WAVE file, a missing or short fmt chunk, zero or too many channels, a block align that does not match the sample size, or chunks in an impossible order.
/// </summary>
public sealed class InvalidWavHeaderException : AudioException
{
    /// <summary>Creates the exception; see <see cref="AudioException"/> for the parts of the message.</summary>
    public InvalidWavHeaderException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(sourceName, problem, fix, innerException)
    {
    }
}
