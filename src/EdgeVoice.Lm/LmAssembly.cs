namespace EdgeVoice.Lm;

/// <summary>Language models (ARPA n-gram, neural) and lattice rescoring.</summary>
internal static class LmAssembly;
