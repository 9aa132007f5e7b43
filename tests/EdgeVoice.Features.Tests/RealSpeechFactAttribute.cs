namespace EdgeVoice.Features.Tests;

/// <summary>
/// A fact that runs only when the real-speech data and Python's torchaudio are available, and is reported as
/// skipped, with the reason, when they are not (never silently passed).
/// </summary>
public sealed class RealSpeechFactAttribute : FactAttribute
{
    public RealSpeechFactAttribute()
    {
        Skip = RealSpeechData.SkipReason;
    }
}
