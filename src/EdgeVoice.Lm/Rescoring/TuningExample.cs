using EdgeVoice.Asr;

namespace EdgeVoice.Lm;

/// <summary>One dev utterance for weight tuning: the device's lattice and the reference words.</summary>
/// <param name="Lattice">The lattice as the device sends it.</param>
/// <param name="Reference">The reference transcript's words (upper case, as the recognizer writes them).</param>
public sealed record TuningExample(WordLattice Lattice, IReadOnlyList<string> Reference);
