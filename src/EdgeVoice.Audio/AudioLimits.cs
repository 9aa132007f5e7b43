namespace EdgeVoice.Audio;

/// <summary>
/// The limits of the audio input, in one place: the readers, the resampler, the CLI and the service all
/// read them from here.
/// </summary>
public static class AudioLimits
{
    /// <summary>The sample rate every model in EdgeVoice expects, in Hz (16 kHz, as in current ASR recipes).</summary>
    public const int DefaultSampleRate = 16000;

    /// <summary>Lowest accepted sample rate, in Hz (narrow-band telephony).</summary>
    public const int MinSampleRate = 8000;

    /// <summary>Highest accepted sample rate, in Hz (professional audio; higher rates carry nothing useful for speech).</summary>
    public const int MaxSampleRate = 48000;

    /// <summary>Largest channel count accepted in a WAV file; more than this is treated as a corrupt header.</summary>
    public const int MaxChannels = 64;

    /// <summary>Returns true when <paramref name="sampleRate"/> lies in [<see cref="MinSampleRate"/>, <see cref="MaxSampleRate"/>].</summary>
    public static bool IsSupportedSampleRate(long sampleRate) => sampleRate is >= MinSampleRate and <= MaxSampleRate;
}
