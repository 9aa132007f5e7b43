namespace EdgeVoice.Audio.Tests;

/// <summary>A fact that is skipped, with a message saying why, when the <c>sox</c> executable is not on PATH.</summary>
public sealed class SoxFactAttribute : FactAttribute
{
    public SoxFactAttribute()
    {
        if (SoxTheoryAttribute.SoxPath is null)
        {
            Skip = "sox is not installed (apt-get install -y sox); CI installs it, so this test runs there.";
        }
    }
}
