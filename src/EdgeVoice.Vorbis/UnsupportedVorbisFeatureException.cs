namespace EdgeVoice.Vorbis;

/// <summary>
/// Raised for a valid Vorbis I stream that uses a feature this decoder does not implement (floor type 0,
/// codebooks beyond the decoder's size limits).
/// </summary>
public sealed class UnsupportedVorbisFeatureException : VorbisFormatException
{
    /// <summary>Creates the exception for <paramref name="feature"/> found in <paramref name="sourceName"/>.</summary>
    /// <param name="sourceName">File path or stream name the data came from.</param>
    /// <param name="feature">The unsupported feature, as a short phrase.</param>
    public UnsupportedVorbisFeatureException(string sourceName, string feature)
        : base(sourceName, $"unsupported Vorbis feature: {feature}; convert with: sox in.ogg out.wav")
    {
        Feature = feature;
    }

    /// <summary>The feature the decoder does not implement.</summary>
    public string Feature { get; }
}
