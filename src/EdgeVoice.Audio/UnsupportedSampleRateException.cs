namespace EdgeVoice.Audio;

/// <summary>
/// The audio's sample rate lies outside [<see cref="AudioLimits.MinSampleRate"/>, <see cref="AudioLimits.MaxSampleRate"/>] Hz.
/// </summary>
public sealed class UnsupportedSampleRateException : AudioException
{
    /// <summary>Creates the exception for <paramref name="sampleRate"/>, with a message that suggests a sox conversion.</summary>
    public UnsupportedSampleRateException(string sourceName, long sampleRate)
        : base(
            sourceName,
            $"sample rate {sampleRate} Hz is not supported (EdgeVoice reads {AudioLimits.MinSampleRate}..{AudioLimits.MaxSampleRate} Hz)",
            SoxConversion(sourceName))
    {
        SampleRate = sampleRate;
    }

    /// <summary>The rejected sample rate, in Hz, as declared by the input or given by the caller.</summary>
    public long SampleRate { get; }
}
