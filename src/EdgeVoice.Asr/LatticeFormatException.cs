namespace EdgeVoice.Asr;

/// <summary>A serialised lattice (binary or JSON) is malformed; the message says what is wrong.</summary>
public sealed class LatticeFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LatticeFormatException(string message, Exception? innerException = null)
        : base(message + " Re-serialise the lattice with WordLattice.ToBinary() or ToJson() (docs/lattice-format.md).", innerException)
    {
    }
}
