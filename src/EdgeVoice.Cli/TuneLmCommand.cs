using System.CommandLine;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Audio;
using EdgeVoice.Lm;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice tune-lm`: recognises dev utterances with beam search, keeps their lattices, and grid-searches the
/// rescoring weights (LM weight, word insertion bonus) that minimise the rescored WER
/// (<see cref="RescoringWeightTuner"/>); writes them next to the language model (a .weights.json sidecar that
/// `serve` reads).
/// </summary>
public static class TuneLmCommand
{
    public static Command Create(CliConsole console)
    {
        var manifests = new Argument<string[]>("manifest") { Description = "Manifests (.jsonl) with id, audio and text; use dev splits only.", Arity = ArgumentArity.OneOrMore };
        var split = new Option<string?>("--split") { Description = "Only utterances of this split (e.g. dev)." };
        var every = new Option<int>("--every") { Description = "Only every N-th selected utterance.", DefaultValueFactory = _ => 1 };
        var lm = new Option<string?>("--lm") { Description = $"Language model to tune (default: models/{ServeEngines.DefaultLanguageModel})." };
        var save = new Option<bool>("--save") { Description = "Write the best weights to the model's .weights.json sidecar." };
        var recognizerOptions = new RecognizerCliOptions();
        var nbest = new Option<int?>("--nbest")
        {
            Description = $"Hypotheses per utterance in the lattice sent for rescoring (default {RecognizerOptions.Default.NBestSize}; at most the beam).",
        };
        var command = new Command("tune-lm", "Tune the cloud rescoring weights on dev lattices of the recognizer.");
        command.Arguments.Add(manifests);
        command.Options.Add(split);
        command.Options.Add(every);
        command.Options.Add(lm);
        command.Options.Add(save);
        command.Options.Add(nbest);
        recognizerOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            int stride = parsed.GetValue(every);
            if (stride < 1)
            {
                throw new CliUsageException("--every must be at least 1.");
            }

            var entries = new List<(string Id, string Audio, string Text)>();
            foreach (string path in parsed.GetRequiredValue(manifests))
            {
                string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
                entries.AddRange(ManifestLines.Read(path, parsed.GetValue(split), r =>
                    r.TryGetProperty("id", out JsonElement id) && r.TryGetProperty("audio", out JsonElement audio) && r.TryGetProperty("text", out JsonElement text)
                        ? (id.GetString()!, Path.Combine(folder, audio.GetString()!), text.GetString()!)
                        : throw new InvalidDataException("a manifest line needs id, audio and text.")));
            }

            entries = entries.Where((_, i) => i % stride == 0).ToList();
            if (entries.Count == 0)
            {
                throw new InvalidDataException("no utterances selected.");
            }

            string lmPath = parsed.GetValue(lm) ?? Path.Combine(Path.GetDirectoryName(RecognizerCliOptions.FindDefaultModel()) ?? "models", ServeEngines.DefaultLanguageModel);
            ILanguageModel model = lmPath.EndsWith(".evm", StringComparison.OrdinalIgnoreCase) ? LstmLanguageModel.Load(lmPath) : ArpaLanguageModel.Load(lmPath);
            Recognizer recognizer = recognizerOptions.Create(parsed, parsed.GetValue(nbest), forceBeam: true);
            var examples = new List<TuningExample>();
            CliProgress.Run(console, "tune-lm", progress =>
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    RecognitionResult result = recognizer.Recognize(AudioFile.ReadAtSourceRate(entries[i].Audio));
                    examples.Add(new TuningExample(result.ToLattice(entries[i].Id), entries[i].Text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                    progress.Report((i + 1.0) / entries.Count);
                }

                return 0;
            });

            TuningResult tuned = RescoringWeightTuner.Tune(model, examples);
            console.Output.WriteLine($"{examples.Count} lattices, {tuned.ReferenceWords} words: device 1-best WER {tuned.AcousticWerPercent:F2}%, " +
                $"rescored {tuned.BestWerPercent:F2}% with LM weight {tuned.Best.LmWeight:0.###} and word bonus {tuned.Best.WordInsertionBonus:0.###}");
            if (parsed.GetValue(save))
            {
                string sidecar = RescoringWeightsFile.PathFor(lmPath);
                RescoringWeightsFile.Save(sidecar, tuned.Best, new Dictionary<string, string>
                {
                    ["tuned_on"] = string.Join(' ', parsed.GetRequiredValue(manifests)) + (parsed.GetValue(split) is { } sp ? $" split {sp}" : ""),
                    ["acoustic_model"] = recognizer.Model.File.Path,
                    ["device_wer"] = tuned.AcousticWerPercent.ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
                    ["rescored_wer"] = tuned.BestWerPercent.ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
                });
                console.Output.WriteLine($"wrote {sidecar}");
            }

            return 0;
        });
        return command;
    }
}
