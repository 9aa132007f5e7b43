namespace EdgeVoice.Cli;

/// <summary>A command line that parsed but asks for something contradictory or incomplete.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }
}
