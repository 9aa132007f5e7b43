namespace EdgeVoice.Cloud;

/// <summary>
/// A request the service refuses: thrown by endpoint code and turned into an RFC 7807 problem-details response
/// by <see cref="ProblemDetailsMiddleware"/> (or into an <c>error</c> message in a WebSocket session).
/// </summary>
internal sealed class ProblemException(int status, string kind, string title, string detail) : Exception(detail)
{
    /// <summary>HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>Short machine-readable kind, the last part of the problem type URI and the metrics label.</summary>
    public string Kind { get; } = kind;

    /// <summary>Short human-readable summary of the kind.</summary>
    public string Title { get; } = title;

    /// <summary>Headers to add to the response (e.g. Retry-After).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
