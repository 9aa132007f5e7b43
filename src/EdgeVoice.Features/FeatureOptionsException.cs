namespace EdgeVoice.Features;

/// <summary>
/// Thrown by an options object's <c>Validate()</c>. Lists every problem found, not just the first,
/// so a caller can fix a configuration in one pass.
/// </summary>
public sealed class FeatureOptionsException : ArgumentException
{
    /// <summary>Creates the exception from the list of problems, one sentence each.</summary>
    public FeatureOptionsException(string optionsName, IReadOnlyList<string> problems)
        : base(BuildMessage(optionsName, problems))
    {
        OptionsName = optionsName;
        Problems = problems;
    }

    /// <summary>The options type that failed validation, e.g. "FbankOptions".</summary>
    public string OptionsName { get; }

    /// <summary>Each problem as one sentence that starts with the property name.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(string optionsName, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"{optionsName} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
            + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
    }
}
