namespace EdgeVoice.Audio;

/// <summary>How one sample of one channel is stored in a WAV data chunk.</summary>
internal enum WavEncoding
{
    /// <summary>8-bit unsigned integer, 128 is silence.</summary>
    UnsignedInt8,

    /// <summary>16-bit signed little-endian integer.</summary>
    SignedInt16,

    /// <summary>24-bit signed little-endian integer, packed in 3 bytes.</summary>
    SignedInt24,

    /// <summary>32-bit signed little-endian integer.</summary>
    SignedInt32,

    /// <summary>32-bit IEEE 754 float.</summary>
    Float32,

    /// <summary>64-bit IEEE 754 float.</summary>
    Float64,

    /// <summary>8-bit ITU-T G.711 µ-law.</summary>
    MuLaw,

    /// <summary>8-bit ITU-T G.711 A-law.</summary>
    ALaw,
}
