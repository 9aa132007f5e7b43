namespace EdgeVoice.Audio;

/// <summary>
/// A mono clip: samples in [-1, 1] at <see cref="SampleRate"/> Hz, as returned by <see cref="AudioFile"/>.
/// </summary>
/// <remarks>
/// Record equality compares the <see cref="Samples"/> array by reference, not element by element.
/// </remarks>
/// <param name="Samples">Mono samples, nominally in [-1, 1].</param>
/// <param name="SampleRate">Sample rate in Hz; must be positive.</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>Mono samples, nominally in [-1, 1].</summary>
    public float[] Samples { get; init; } = Samples ?? throw new ArgumentNullException(nameof(Samples));

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; init; } = SampleRate > 0
        ? SampleRate
        : throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The sample rate must be positive.");

    /// <summary>Length of the clip in time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
