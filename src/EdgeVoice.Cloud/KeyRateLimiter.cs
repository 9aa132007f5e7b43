using System.Globalization;
using System.Threading.RateLimiting;

namespace EdgeVoice.Cloud;

/// <summary>
/// Per-API-key token buckets (<see cref="PartitionedRateLimiter"/>): every HTTP request under /v1 and every
/// WebSocket session message takes a token; an empty bucket means 429 (or an <c>error</c> message in a session).
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public KeyRateLimiter(RescoringServiceOptions options)
    {
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.RateLimitBurst,
                TokensPerPeriod = options.RateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes a token for <paramref name="keyName"/> or throws a 429 <see cref="ProblemException"/>.</summary>
    public void Acquire(string keyName)
    {
        using RateLimitLease lease = _limiter.AttemptAcquire(keyName);
        if (!lease.IsAcquired)
        {
            int seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
            var problem = new ProblemException(429, "rate-limited", "Too Many Requests",
                $"API key '{keyName}' is over its rate limit; retry after {seconds} s.");
            problem.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            throw problem;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
