using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace EdgeVoice.Cloud;

/// <summary>
/// The service's counters, rendered in the Prometheus text exposition format (version 0.0.4) by <see cref="Render"/>:
/// requests by route, method and status; request and rescoring latency histograms; errors by kind; WebSocket
/// session messages by type; sessions connected and retained.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly ConcurrentDictionary<(string Route, string Method, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, LatencyHistogram> _requestLatency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LatencyHistogram> _rescoreLatency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _sessionMessages = new(StringComparer.Ordinal);
    private long _activeSessions;

    /// <summary>Sessions that exist (connected or waiting for a reconnect); set by the session store.</summary>
    internal Func<int> RetainedSessions { get; set; } = () => 0;

    /// <summary>WebSocket connections open now.</summary>
    public long ActiveSessions => Interlocked.Read(ref _activeSessions);

    internal void RecordRequest(string route, string method, int status, TimeSpan? duration)
    {
        _requests.AddOrUpdate((route, method, status), 1, (_, n) => n + 1);
        if (duration is { } d)
        {
            _requestLatency.GetOrAdd(route, _ => new LatencyHistogram()).Observe(d);
        }
    }

    internal void RecordRescore(string source, TimeSpan duration) =>
        _rescoreLatency.GetOrAdd(source, _ => new LatencyHistogram()).Observe(duration);

    internal void RecordError(string kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void RecordSessionMessage(string type) => _sessionMessages.AddOrUpdate(type, 1, (_, n) => n + 1);

    internal void SessionOpened() => Interlocked.Increment(ref _activeSessions);

    internal void SessionClosed() => Interlocked.Decrement(ref _activeSessions);

    /// <summary>Number of errors of a kind so far (0 when none).</summary>
    public long Errors(string kind) => _errors.TryGetValue(kind, out long n) ? n : 0;

    /// <summary>The metrics in the Prometheus text format.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP edgevoice_http_requests_total HTTP requests by route, method and status code.\n");
        text.Append("# TYPE edgevoice_http_requests_total counter\n");
        foreach (var ((route, method, status), count) in _requests.OrderBy(kv => kv.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"edgevoice_http_requests_total{{route=\"{Escape(route)}\",method=\"{Escape(method)}\",status=\"{status}\"}} {count}\n");
        }

        text.Append("# HELP edgevoice_http_request_duration_seconds Time from a request's arrival to its answer (WebSocket sessions excluded).\n");
        text.Append("# TYPE edgevoice_http_request_duration_seconds histogram\n");
        foreach (var (route, histogram) in _requestLatency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            histogram.Write(text, "edgevoice_http_request_duration_seconds", $"route=\"{Escape(route)}\"");
        }

        text.Append("# HELP edgevoice_rescore_duration_seconds Time to rescore one lattice (parsing excluded), by source (http, session).\n");
        text.Append("# TYPE edgevoice_rescore_duration_seconds histogram\n");
        foreach (var (source, histogram) in _rescoreLatency.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            histogram.Write(text, "edgevoice_rescore_duration_seconds", $"source=\"{Escape(source)}\"");
        }

        text.Append("# HELP edgevoice_errors_total Requests and session messages refused or failed, by kind.\n");
        text.Append("# TYPE edgevoice_errors_total counter\n");
        foreach (var (kind, count) in _errors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"edgevoice_errors_total{{kind=\"{Escape(kind)}\"}} {count}\n");
        }

        text.Append("# HELP edgevoice_session_messages_total WebSocket session messages received, by type.\n");
        text.Append("# TYPE edgevoice_session_messages_total counter\n");
        foreach (var (type, count) in _sessionMessages.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"edgevoice_session_messages_total{{type=\"{Escape(type)}\"}} {count}\n");
        }

        text.Append("# HELP edgevoice_active_sessions WebSocket session connections open now.\n");
        text.Append("# TYPE edgevoice_active_sessions gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"edgevoice_active_sessions {ActiveSessions}\n");
        text.Append("# HELP edgevoice_sessions Sessions held (connected, or disconnected and waiting for a reconnect).\n");
        text.Append("# TYPE edgevoice_sessions gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"edgevoice_sessions {RetainedSessions()}\n");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
