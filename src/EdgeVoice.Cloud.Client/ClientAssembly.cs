namespace EdgeVoice.Cloud.Client;

/// <summary>The device-side client of the rescoring service.</summary>
internal static class ClientAssembly;
