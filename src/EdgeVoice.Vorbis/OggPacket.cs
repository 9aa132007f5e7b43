namespace EdgeVoice.Vorbis;

/// <summary>One packet of a logical Ogg stream.</summary>
/// <param name="Data">The packet bytes.</param>
/// <param name="GranulePosition">The page's granule position when this is the last packet completed on its page, else -1.</param>
/// <param name="IsEndOfStream">True for the last packet completed on the end-of-stream page.</param>
internal readonly record struct OggPacket(byte[] Data, long GranulePosition, bool IsEndOfStream);
