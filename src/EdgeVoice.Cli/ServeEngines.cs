using EdgeVoice.Cloud;
using EdgeVoice.Lm;

namespace EdgeVoice.Cli;

/// <summary>The rescoring engine `edgevoice serve` runs, from its --lm option.</summary>
internal static class ServeEngines
{
    /// <summary>The default language model, in the folder of the default acoustic model.</summary>
    public const string DefaultLanguageModel = "lm-lstm.evm";

    /// <summary>
    /// --lm none: acoustic-only ranking; --lm PATH: an LSTM model file (.evm) or an ARPA n-gram (.arpa, .arpa.gz);
    /// no --lm: models/lm-lstm.evm. Weights: the model's tuned ones (its metadata, else a .weights.json sidecar),
    /// else <see cref="RescoringWeights.Default"/>.
    /// </summary>
    public static ILatticeRescoringEngine Create(string? lm)
    {
        if (string.Equals(lm, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new AcousticOnlyEngine();
        }

        string path = lm ?? Path.Combine(Path.GetDirectoryName(RecognizerCliOptions.FindDefaultModel()) ?? "models", DefaultLanguageModel);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"language model '{path}' not found; pass --lm PATH (.evm or .arpa[.gz]) or --lm none", path);
        }

        ILanguageModel model;
        RescoringWeights? tuned = RescoringWeightsFile.TryLoadFor(path);
        if (path.EndsWith(".arpa", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".arpa.gz", StringComparison.OrdinalIgnoreCase))
        {
            model = ArpaLanguageModel.Load(path);
        }
        else
        {
            var lstm = LstmLanguageModel.Load(path);
            tuned = lstm.TunedWeights ?? tuned;
            model = lstm;
        }

        return new LanguageModelEngine(model, tuned ?? RescoringWeights.Default);
    }
}
