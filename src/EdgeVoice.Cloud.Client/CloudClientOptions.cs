using System.Net.WebSockets;

namespace EdgeVoice.Cloud.Client;

/// <summary>Where the rescoring service is and how to talk to it. Defaults live here only.</summary>
public sealed class CloudClientOptions
{
    /// <summary>The service's base address, e.g. http://127.0.0.1:8765.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The API key (created with <c>edgevoice serve add-key NAME --keys FILE</c>).</summary>
    public required string ApiKey { get; init; }

    /// <summary>Hypotheses to ask for (1..50; the service's limit).</summary>
    public int NBest { get; init; } = 5;

    /// <summary>Longest wait for one HTTP answer, or for a session's final result.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconnect attempts in a row before a session gives up and fails its pending results.</summary>
    public int MaxReconnectAttempts { get; init; } = 8;

    /// <summary>Delay before the first reconnect attempt; doubled after each failure, at most 2 s.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Handler under the HTTP client (null: sockets); lets a host add a proxy, or a test record the traffic.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>
    /// Opens a session's WebSocket to a ws:// address with the given headers (null: a <see cref="ClientWebSocket"/>);
    /// lets a host or a test put something between the client and the network.
    /// </summary>
    public Func<Uri, IReadOnlyDictionary<string, string>, CancellationToken, Task<WebSocket>>? WebSocketConnector { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("http" or "https"))
        {
            problems.Add($"BaseAddress '{BaseAddress}' is not an absolute http(s) address");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("ApiKey is empty");
        }

        if (NBest is < 1 or > 255)
        {
            problems.Add($"NBest {NBest} is not in 1..255");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"Timeout {Timeout} is not positive");
        }

        if (MaxReconnectAttempts < 0)
        {
            problems.Add($"MaxReconnectAttempts {MaxReconnectAttempts} is negative");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid cloud client options: " + string.Join("; ", problems) + ".");
        }
    }
}
