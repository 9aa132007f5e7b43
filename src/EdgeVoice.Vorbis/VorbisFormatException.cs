namespace EdgeVoice.Vorbis;

/// <summary>
/// Raised when an Ogg Vorbis stream cannot be decoded: bad capture pattern, CRC mismatch, truncated stream,
/// a stream that is not Vorbis, a corrupt header or packet. The message names the source and the problem.
/// </summary>
/// <remarks>
/// The source is exposed as <see cref="SourceName"/> rather than <c>Source</c>, because
/// <see cref="Exception.Source"/> already means the assembly that threw.
/// </remarks>
public class VorbisFormatException : Exception
{
    /// <summary>Creates the exception; the message is "<paramref name="sourceName"/>: <paramref name="problem"/>".</summary>
    /// <param name="sourceName">File path or stream name the data came from.</param>
    /// <param name="problem">What is wrong, as one sentence without a trailing period.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public VorbisFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{sourceName}: {problem}.", innerException)
    {
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>File path or stream name the data came from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong with the data.</summary>
    public string Problem { get; }
}
