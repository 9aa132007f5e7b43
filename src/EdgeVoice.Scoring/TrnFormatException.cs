namespace EdgeVoice.Scoring;

/// <summary>
/// A transcript (sclite <c>trn</c>) file, or an in-memory list of utterances, is malformed
/// or inconsistent with its counterpart. The message names the source, the line and the problem.
/// </summary>
public sealed class TrnFormatException : Exception
{
    public TrnFormatException(string source, int lineNumber, string problem)
        : base($"{source}:{lineNumber}: {problem}")
    {
        SourceName = source;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file path, or a description such as "(in-memory references)".</summary>
    public string SourceName { get; }

    /// <summary>1-based line number in the file (for in-memory lists: the 1-based item number).</summary>
    public int LineNumber { get; }

    /// <summary>The problem alone, without source and line.</summary>
    public string Problem { get; }
}
