namespace EdgeVoice.Cloud.Client;

/// <summary>
/// The service refused a request or could not be reached. <see cref="Status"/> is the HTTP status (0 when there was
/// none); <see cref="Problem"/> the problem type's last part (e.g. malformed-lattice, unauthorized, rate-limited);
/// the message is the problem's detail.
/// </summary>
public sealed class CloudServiceException(int status, string problem, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>HTTP status code, or 0 when no answer came.</summary>
    public int Status { get; } = status;

    /// <summary>The kind of problem (the last part of the problem type URI).</summary>
    public string Problem { get; } = problem;

    /// <summary>Builds the exception from a problem-details document (or an error message of a session).</summary>
    internal static CloudServiceException FromProblem(int status, System.Text.Json.JsonElement problem)
    {
        string type = problem.TryGetProperty("problem", out var p) ? p.GetString() ?? "" : problem.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        string detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        string kind = type.Contains(':', StringComparison.Ordinal) ? type[(type.LastIndexOf(':') + 1)..] : type;
        return new CloudServiceException(status, kind, $"The rescoring service answered {status} ({kind}): {detail}");
    }
}
