namespace EdgeVoice.Audio;

/// <summary>
/// The file is well-formed but uses an encoding the readers do not decode, such as ADPCM, MP3-in-WAV, RF64 or big-endian RIFX.
/// </summary>
public sealed class UnsupportedAudioEncodingException : AudioException
{
    /// <summary>Creates the exception; see <see cref="AudioException"/> for the parts of the message.</summary>
    public UnsupportedAudioEncodingException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(sourceName, problem, fix, innerException)
    {
    }
}
