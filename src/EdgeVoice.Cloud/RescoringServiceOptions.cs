using System.Globalization;
using System.Net;

namespace EdgeVoice.Cloud;

/// <summary>
/// Settings of the rescoring service. Defaults live here only; `edgevoice serve` and the tests read them from
/// <see cref="Default"/>. Call <see cref="Validate"/> before use: it reports every problem at once.
/// </summary>
public sealed class RescoringServiceOptions
{
    /// <summary>The defaults.</summary>
    public static RescoringServiceOptions Default { get; } = new();

    /// <summary>Address Kestrel listens on: loopback, so nothing leaves the machine unless asked.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>TCP port (0: any free port).</summary>
    public int Port { get; init; } = 8765;

    /// <summary>Largest request body or WebSocket message in bytes. A real lattice is about 1 KB (docs/cloud-service.md).</summary>
    public int MaxRequestBytes { get; init; } = 256 * 1024;

    /// <summary>Time a request may take from its first byte to its answer (body upload plus rescoring).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Hypotheses returned when the request does not say.</summary>
    public int DefaultNBest { get; init; } = 5;

    /// <summary>Most hypotheses a request may ask for.</summary>
    public int MaxNBest { get; init; } = 50;

    /// <summary>Most nodes a lattice may have (a device's n-best lattice has tens).</summary>
    public int MaxLatticeNodes { get; init; } = 20_000;

    /// <summary>Most arcs a lattice may have.</summary>
    public int MaxLatticeArcs { get; init; } = 50_000;

    /// <summary>Per API key: requests plus session messages allowed in a burst (token bucket size).</summary>
    public int RateLimitBurst { get; init; } = 200;

    /// <summary>Per API key: tokens added per second.</summary>
    public int RateLimitPerSecond { get; init; } = 100;

    /// <summary>How long a session whose device disconnected keeps its finished results for a reconnect.</summary>
    public TimeSpan SessionRetention { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Most finished results a session keeps unacknowledged; beyond it the oldest is dropped.</summary>
    public int MaxRetainedResultsPerSession { get; init; } = 256;

    /// <summary>Most utterances with work in flight per session (a device has one or two).</summary>
    public int MaxUtterancesInFlightPerSession { get; init; } = 16;

    /// <summary>Write request logs to the console (the CLI does; tests do not).</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!IPAddress.TryParse(Address, out _))
        {
            problems.Add($"Address '{Address}' is not an IP address");
        }

        Check(Port is >= 0 and <= 65535, $"Port {Port} is not in 0..65535");
        Check(MaxRequestBytes is >= 64 and <= 64 * 1024 * 1024, $"MaxRequestBytes {MaxRequestBytes} is not in 64..64 MiB");
        Check(RequestTimeout > TimeSpan.Zero, $"RequestTimeout {RequestTimeout} is not positive");
        Check(MaxNBest >= 1, $"MaxNBest {MaxNBest} is below 1");
        Check(DefaultNBest >= 1 && DefaultNBest <= MaxNBest, $"DefaultNBest {DefaultNBest} is not in 1..MaxNBest ({MaxNBest})");
        Check(MaxLatticeNodes >= 1, $"MaxLatticeNodes {MaxLatticeNodes} is below 1");
        Check(MaxLatticeArcs >= 0, $"MaxLatticeArcs {MaxLatticeArcs} is negative");
        Check(RateLimitBurst >= 1, $"RateLimitBurst {RateLimitBurst} is below 1");
        Check(RateLimitPerSecond >= 1, $"RateLimitPerSecond {RateLimitPerSecond} is below 1");
        Check(SessionRetention > TimeSpan.Zero, $"SessionRetention {SessionRetention} is not positive");
        Check(MaxRetainedResultsPerSession >= 1, $"MaxRetainedResultsPerSession {MaxRetainedResultsPerSession} is below 1");
        Check(MaxUtterancesInFlightPerSession >= 1, $"MaxUtterancesInFlightPerSession {MaxUtterancesInFlightPerSession} is below 1");
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid rescoring service options: " + string.Join("; ", problems) + ".");
        }

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"http://{Address}:{Port}, body <= {MaxRequestBytes} B, timeout {RequestTimeout.TotalSeconds} s, nbest {DefaultNBest} (max {MaxNBest}), " +
        $"rate {RateLimitPerSecond}/s (burst {RateLimitBurst}) per key, sessions kept {SessionRetention.TotalSeconds} s after a disconnect");
}
