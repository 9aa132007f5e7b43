namespace EdgeVoice.Audio;

/// <summary>
/// The input holds no samples at all: a zero-byte file or an empty data chunk.
/// </summary>
public sealed class EmptyAudioException : AudioException
{
    /// <summary>Creates the exception; see <see cref="AudioException"/> for the parts of the message.</summary>
    public EmptyAudioException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(sourceName, problem, fix, innerException)
    {
    }
}
