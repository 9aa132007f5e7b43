using System.Globalization;
using System.Text;

namespace EdgeVoice.Cloud;

/// <summary>A Prometheus histogram of durations in seconds with fixed buckets; thread-safe and lock-free.</summary>
internal sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds (1 ms to 10 s, finer where the 50 ms rescoring target is).</summary>
    public static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicroseconds;

    public void Observe(TimeSpan duration)
    {
        double seconds = duration.TotalSeconds;
        int i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
    }

    /// <summary>Appends the _bucket, _sum and _count lines of one series (<paramref name="labels"/> like <c>route="/x"</c>, or empty).</summary>
    public void Write(StringBuilder text, string name, string labels)
    {
        string sep = labels.Length == 0 ? "" : ",";
        long cumulative = 0;
        for (int i = 0; i < Bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{sep}le=\"{Bounds[i].ToString("R", CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }

        cumulative += Interlocked.Read(ref _counts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {cumulative}\n");
        string braces = labels.Length == 0 ? "" : $"{{{labels}}}";
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {(Interlocked.Read(ref _sumMicroseconds) / 1e6).ToString("R", CultureInfo.InvariantCulture)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative}\n");
    }
}
