namespace EdgeVoice.Cli;

/// <summary>No --model was given and no default model file exists in the repository's models/ folder.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);
