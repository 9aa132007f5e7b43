namespace EdgeVoice.Cli;

/// <summary>
/// The streams a command talks to. The process's console in production; in-memory streams in tests,
/// so a test can run any command and read what it printed and its exit code.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, Func<Stream> openStandardInput, bool errorIsTerminal)
    {
        Output = output;
        Error = error;
        OpenStandardInput = openStandardInput;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Where results go (standard output).</summary>
    public TextWriter Output { get; }

    /// <summary>Where diagnostics, progress and error messages go (standard error).</summary>
    public TextWriter Error { get; }

    /// <summary>Opens standard input as a binary stream (used when an input path is "-").</summary>
    public Func<Stream> OpenStandardInput { get; }

    /// <summary>True when standard error is an interactive terminal, so progress bars can be drawn.</summary>
    public bool ErrorIsTerminal { get; }

    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, Console.OpenStandardInput, !Console.IsErrorRedirected);
}
