namespace EdgeVoice.Audio;

/// <summary>
/// The input ends before the header says it should: a cut-off file, a data chunk that declares more bytes than are present, or a final sample that is incomplete.
/// </summary>
public sealed class TruncatedAudioException : AudioException
{
    /// <summary>Creates the exception; see <see cref="AudioException"/> for the parts of the message.</summary>
    public TruncatedAudioException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(sourceName, problem, fix, innerException)
    {
    }
}
