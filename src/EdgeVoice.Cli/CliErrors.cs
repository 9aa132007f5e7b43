namespace EdgeVoice.Cli;

/// <summary>
/// Turns any exception that reaches the top of a command into one line on standard error and an exit code.
/// Expected failures (bad input, missing files) name the problem; anything else is reported as an
/// internal error with its type, so nothing unhandled ever reaches the user.
/// </summary>
public static class CliErrors
{
    /// <summary>Exit code for a command that ran and failed because of its input (sysexits EX_DATAERR).</summary>
    public const int InputError = 65;

    /// <summary>Exit code for a file that could not be opened, read or written (sysexits EX_IOERR).</summary>
    public const int IoError = 74;

    /// <summary>Exit code for a command line that does not parse (sysexits EX_USAGE).</summary>
    public const int UsageError = 64;

    /// <summary>Exit code for a bug: an exception nobody expected (sysexits EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    public static int Report(Exception exception, TextWriter error)
    {
        var (code, message) = Classify(exception);
        error.WriteLine($"edgevoice: error: {OneLine(message)}");
        return code;
    }

    private static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        CliUsageException e => (UsageError, e.Message),
        FileNotFoundException e => (IoError, e.FileName is null ? e.Message : $"file not found: {e.FileName}"),
        DirectoryNotFoundException e => (IoError, e.Message),
        UnauthorizedAccessException e => (IoError, e.Message),
        IOException e => (IoError, e.Message),
        OperationCanceledException => (InputError, "cancelled"),
        _ when IsInputException(exception) => (InputError, exception.Message),
        _ => (InternalError, $"internal error ({exception.GetType().Name}): {exception.Message}. Please report this."),
    };

    /// <summary>
    /// Library exceptions that describe bad input: every EdgeVoice library's own exception types plus
    /// the argument exceptions its options objects throw from Validate().
    /// </summary>
    private static bool IsInputException(Exception exception)
    {
        if (exception is ArgumentException or FormatException or InvalidDataException)
        {
            return true;
        }

        var ns = exception.GetType().Namespace ?? string.Empty;
        return ns.StartsWith("EdgeVoice.", StringComparison.Ordinal);
    }

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
