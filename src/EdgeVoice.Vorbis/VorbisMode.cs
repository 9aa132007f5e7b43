namespace EdgeVoice.Vorbis;

/// <summary>A mode of the setup header: short or long block, and the mapping its packets use.</summary>
/// <param name="LongBlock">True when packets of this mode use the long block size.</param>
/// <param name="Mapping">Index of the mapping.</param>
internal readonly record struct VorbisMode(bool LongBlock, int Mapping);
