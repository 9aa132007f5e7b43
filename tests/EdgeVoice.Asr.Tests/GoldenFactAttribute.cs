namespace EdgeVoice.Asr.Tests;

/// <summary>A fact skipped, with the reason, when no golden folder (and its model) is available.</summary>
public sealed class GoldenFactAttribute : FactAttribute
{
    public GoldenFactAttribute()
    {
        if (GoldenSet.All.Count == 0)
        {
            Skip = GoldenSet.MissingReason;
        }
    }
}
