namespace EdgeVoice.Cloud;

/// <summary>The cloud lattice-rescoring service.</summary>
internal static class CloudAssembly;
