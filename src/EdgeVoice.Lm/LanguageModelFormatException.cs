namespace EdgeVoice.Lm;

/// <summary>
/// A language-model file (ARPA text, a neural LM model file, a weights sidecar) is malformed. The message names
/// the file, the line when there is one, and the problem.
/// </summary>
public sealed class LanguageModelFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a path or a name), at <paramref name="line"/> (1-based; 0 when not about a line).</summary>
    public LanguageModelFormatException(string source, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{source}:{line}: {problem}" : $"{source}: {problem}", inner)
    {
        Source = source;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file path or name.</summary>
    public new string Source { get; }

    /// <summary>1-based line number, or 0 when the problem is not about one line.</summary>
    public int Line { get; }

    /// <summary>The problem, without the location.</summary>
    public string Problem { get; }
}
