namespace EdgeVoice.Audio;

/// <summary>Argument checks shared by the public entry points; each throws the standard argument exception.</summary>
internal static class Guard
{
    public static void SampleRate(int sampleRate, string parameterName)
    {
        if (!AudioLimits.IsSupportedSampleRate(sampleRate))
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                sampleRate,
                $"The sample rate must lie in [{AudioLimits.MinSampleRate}, {AudioLimits.MaxSampleRate}] Hz.");
        }
    }

    public static void SourceName(string sourceName, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName, parameterName);
    }
}
