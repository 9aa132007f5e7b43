using EdgeVoice.Cloud;

namespace EdgeVoice.Cli;

/// <summary>The rescoring engine `edgevoice serve` runs, from its --lm option.</summary>
internal static class ServeEngines
{
    public static ILatticeRescoringEngine Create(string? lm)
    {
        if (string.Equals(lm, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new AcousticOnlyEngine();
        }

        if (lm is not null)
        {
            throw new CliUsageException($"cannot load language model '{lm}': this build of `serve` has no language-model loader yet; use --lm none to rank by acoustic scores only.");
        }

        throw new CliUsageException("no language model in models/ yet; pass --lm none to serve acoustic-only ranking (the device's own n-best) until one is committed.");
    }
}
