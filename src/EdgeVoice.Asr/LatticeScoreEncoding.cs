namespace EdgeVoice.Asr;

/// <summary>How the binary lattice encoding stores scores (docs/lattice-format.md).</summary>
public enum LatticeScoreEncoding
{
    /// <summary>int16 with one float32 scale per lattice: error at most 0.5 / scale (chosen so the largest score fits).</summary>
    ScaledInt16,

    /// <summary>IEEE float32: exact.</summary>
    Float32,
}
