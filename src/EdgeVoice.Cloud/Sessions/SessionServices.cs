namespace EdgeVoice.Cloud.Sessions;

/// <summary>What every session shares.</summary>
internal sealed record SessionServices(RescoringServiceOptions Options, LatticeDecoder Decoder, RescoringRunner Runner, ServiceMetrics Metrics, KeyRateLimiter Limiter);
