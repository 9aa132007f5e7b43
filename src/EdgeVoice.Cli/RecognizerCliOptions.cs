using System.CommandLine;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Biasing;

namespace EdgeVoice.Cli;

/// <summary>
/// The options every recognising command shares: --model (default: the model in the repository's models/
/// folder, found from the current folder or the CLI's own location), --beam and --context. Defaults come from
/// <see cref="RecognizerOptions.Default"/>.
/// </summary>
public sealed class RecognizerCliOptions
{
    /// <summary>Preferred default model file name in models/.</summary>
    public const string DefaultModelName = "convrnnt-small.evm";

    private readonly Option<string?> _model = new("--model", "-m")
    {
        Description = $"Model file (.evm). Default: models/{DefaultModelName} (or the only .evm in models/) of this repository.",
    };

    private readonly Option<int?> _beam = new("--beam")
    {
        Description = $"Decode with modified beam search of this width (default: greedy search; beam search's default width is {RecognizerOptions.Default.BeamWidth}).",
    };

    private readonly Option<string?> _context = new("--context")
    {
        Description = "Bias recognition towards the phrases of this file: one per line, optionally '<TAB>boost' " +
            $"(default boost {ContextGraph.DefaultBoost} per token). Uses beam search (of the default width unless --beam says otherwise).",
    };

    private readonly Option<float?> _blankPenalty = new("--blank-penalty")
    {
        Description = "Subtract this from the blank's score at every step (default 0; positive: fewer deletions, more " +
            $"insertions; at most {RecognizerOptions.MaxBlankPenalty} either way). Adds to the penalty folded into the model. Choose it on dev data.",
    };

    private readonly Option<float?> _biasMaxLoss = new("--bias-max-loss")
    {
        Description = "With a context: the most acoustic score (nats) biasing may cost the result; a biased reading whose " +
            "score without its bonus is further below the best unbiased one loses to it (default: no limit). Choose it on dev data.",
    };

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="withContext"/> false leaves out --context (for commands that build their own contexts).</summary>
    public void AddTo(Command command, bool withContext = true)
    {
        command.Options.Add(_model);
        command.Options.Add(_beam);
        if (withContext)
        {
            command.Options.Add(_context);
        }

        command.Options.Add(_blankPenalty);
        command.Options.Add(_biasMaxLoss);
    }

    /// <summary>The --context phrases as a graph for <paramref name="recognizer"/>, or null without --context.</summary>
    public ContextGraph? CreateContext(ParseResult parsed, Recognizer recognizer) =>
        parsed.GetValue(_context) is { } path ? recognizer.CreateContext(ContextPhrase.ReadFile(path)) : null;

    /// <summary>The recognizer the options describe; <paramref name="forceBeam"/> selects beam search even without --beam or --context.</summary>
    public Recognizer Create(ParseResult parsed, int? nbest = null, bool forceBeam = false)
    {
        int? beam = parsed.GetValue(_beam);
        var defaults = RecognizerOptions.Default;
        var options = new RecognizerOptions
        {
            ModelPath = parsed.GetValue(_model) ?? FindDefaultModel(),
            DecodingMethod = beam is null && parsed.GetValue(_context) is null && !forceBeam ? DecodingMethod.Greedy : DecodingMethod.ModifiedBeamSearch,
            BeamWidth = beam ?? defaults.BeamWidth,
            NBestSize = nbest ?? defaults.NBestSize,
            BlankPenalty = parsed.GetValue(_blankPenalty) ?? defaults.BlankPenalty,
            BiasMaxAcousticLoss = parsed.GetValue(_biasMaxLoss) ?? defaults.BiasMaxAcousticLoss,
        };
        return new Recognizer(options);
    }

    /// <summary>models/convrnnt-small.evm, else the only (or first, by name) .evm in models/, searched above the current folder and the CLI's folder.</summary>
    public static string FindDefaultModel()
    {
        var tried = new List<string>();
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string models = Path.Combine(dir.FullName, "models");
                if (!File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")) && !Directory.Exists(models))
                {
                    continue;
                }

                tried.Add(models);
                if (File.Exists(Path.Combine(models, DefaultModelName)))
                {
                    return Path.Combine(models, DefaultModelName);
                }

                if (Directory.Exists(models) && Directory.GetFiles(models, "*.evm").Order(StringComparer.Ordinal).FirstOrDefault() is { } any)
                {
                    return any;
                }
            }
        }

        string where = tried.Count == 0 ? "no models/ folder above the current folder or the CLI" : string.Join(", ", tried.Distinct());
        throw new ModelNotFoundException(
            $"no model given and none found ({where}); pass --model <file.evm>, or export one with: /usr/bin/python3 training/export.py --checkpoint <checkpoint.pt> --output models/{DefaultModelName}");
    }
}
