namespace EdgeVoice.Nn;

/// <summary>
/// A model file (.evm) could not be used. The message names the file, every problem found, and the fix
/// (usually the command that re-exports the model).
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception; the message is built from the path, the problems and the fix.</summary>
    public ModelFormatException(string filePath, IReadOnlyList<string> problems, string fix, Exception? innerException = null)
        : base(BuildMessage(filePath, problems, fix), innerException)
    {
        FilePath = filePath;
        Problems = problems;
        Fix = fix;
    }

    /// <summary>The model file.</summary>
    public string FilePath { get; }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }

    private static string BuildMessage(string filePath, IReadOnlyList<string> problems, string fix)
    {
        string list = problems.Count == 1 ? problems[0] : string.Join("; ", problems.Select((p, i) => $"({i + 1}) {p}"));
        return $"Model file '{filePath}': {list}. {fix}";
    }
}
