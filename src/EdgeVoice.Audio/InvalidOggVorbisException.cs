namespace EdgeVoice.Audio;

/// <summary>
/// The input starts like an Ogg stream but is not decodable Ogg Vorbis: a damaged page, a truncated
/// stream, another codec inside the Ogg container, or a Vorbis feature the decoder does not support.
/// The underlying <c>EdgeVoice.Vorbis.VorbisFormatException</c> is the inner exception.
/// </summary>
public sealed class InvalidOggVorbisException : AudioException
{
    /// <summary>Creates the exception; see <see cref="AudioException"/> for the parts of the message.</summary>
    public InvalidOggVorbisException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(sourceName, problem, fix, innerException)
    {
    }
}
