namespace EdgeVoice.Audio;

/// <summary>
/// Base of every error the audio readers raise for bad input. The message names the source (file path or
/// stream name), the problem and, where there is one, the fix. Catch this type to handle all audio input
/// errors; arguments that are wrong because of a programming error still raise <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// The source is exposed as <see cref="SourceName"/> rather than <c>Source</c>, because
/// <see cref="Exception.Source"/> already means the assembly that threw.
/// </remarks>
public abstract class AudioException : Exception
{
    /// <summary>Creates the exception; the message is built from the three parts.</summary>
    /// <param name="sourceName">File path or stream name the audio came from.</param>
    /// <param name="problem">What is wrong, as one sentence without a trailing period.</param>
    /// <param name="fix">How to fix it, or null when there is no general fix.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected AudioException(string sourceName, string problem, string? fix = null, Exception? innerException = null)
        : base(BuildMessage(sourceName, problem, fix), innerException)
    {
        SourceName = sourceName;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>File path or stream name the audio came from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong with the audio.</summary>
    public string Problem { get; }

    /// <summary>How to fix the input, or null when there is no general fix.</summary>
    public string? Fix { get; }

    /// <summary>The sox command that converts <paramref name="sourceName"/> into what EdgeVoice reads best.</summary>
    internal static string SoxConversion(string sourceName) =>
        $"convert with: sox \"{sourceName}\" -r {AudioLimits.DefaultSampleRate} -b 16 -e signed-integer out.wav";

    private static string BuildMessage(string sourceName, string problem, string? fix) =>
        fix is null ? $"{sourceName}: {problem}." : $"{sourceName}: {problem}. Fix: {fix}.";
}
