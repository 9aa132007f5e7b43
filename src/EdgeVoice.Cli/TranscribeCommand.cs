using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Cloud.Client;

namespace EdgeVoice.Cli;

/// <summary>`edgevoice transcribe`: recognise audio files and print their text (or JSON with words, times and n-best).</summary>
public static class TranscribeCommand
{
    public static Command Create(CliConsole console)
    {
        var audio = new Argument<string[]>("audio")
        {
            Description = "Audio files (WAV, or raw s16le with --raw), or '-' for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var nbest = new Option<int?>("--nbest")
        {
            Description = $"Hypotheses to report with --json and to keep in --lattice (default {RecognizerOptions.Default.NBestSize}; greedy search has one).",
        };
        var lattice = new Option<string?>("--lattice")
        {
            Description = "Write the word lattice in HTK SLF 1.1 to this file (with several inputs, one file each: <name>.<input>.slf). Use --beam for more than one path.",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON: text, words with times and confidences, tokens, n-best with scores." };
        var recognizerOptions = new RecognizerCliOptions();
        var cloudOptions = new CloudCliOptions();
        var audioInput = new AudioInputOptions();

        var command = new Command("transcribe", "Transcribe audio files with the streaming transducer (greedy, or beam search with --beam).");
        command.Arguments.Add(audio);
        recognizerOptions.AddTo(command);
        command.Options.Add(nbest);
        command.Options.Add(lattice);
        command.Options.Add(json);
        cloudOptions.AddTo(command);
        audioInput.AddTo(command);
        command.SetAction(parsed =>
        {
            string[] inputs = parsed.GetRequiredValue(audio);
            using CloudRescoringClient? cloud = cloudOptions.CreateClient(parsed);
            Recognizer recognizer = recognizerOptions.Create(parsed, parsed.GetValue(nbest), forceBeam: cloud is not null);
            var context = recognizerOptions.CreateContext(parsed, recognizer);
            string? latticePath = parsed.GetValue(lattice);
            bool asJson = parsed.GetValue(json);
            var results = new List<object>();
            foreach (string input in inputs)
            {
                var clip = audioInput.Read(parsed, input, console, keepSourceRate: true);
                var watch = Stopwatch.StartNew();
                RecognitionResult result = recognizer.Recognize(clip, context);
                double seconds = watch.Elapsed.TotalSeconds;
                WordLattice? wordLattice = latticePath is null && cloud is null ? null : result.ToLattice(Path.GetFileNameWithoutExtension(input));
                if (latticePath is not null)
                {
                    string path = inputs.Length == 1 ? latticePath : LatticePathFor(latticePath, input);
                    File.WriteAllText(path, wordLattice!.ToSlf());
                }

                long sentBefore = cloud?.LatticeBytesSent ?? 0;
                CloudRescoringResult? rescored = cloud is null ? null : CloudCliOptions.Rescore(cloud, wordLattice!);
                string text = rescored?.Text ?? result.Text;
                if (asJson)
                {
                    var entry = ToJson(input, result, clip.Duration.TotalSeconds, seconds);
                    if (rescored is not null)
                    {
                        entry["device_text"] = result.Text;
                        entry["text"] = rescored.Text;
                        entry["cloud"] = new Dictionary<string, object?>
                        {
                            ["engine"] = rescored.Engine,
                            ["lattice_bytes"] = cloud!.LatticeBytesSent - sentBefore,
                            ["audio_pcm16_bytes"] = (long)Math.Round(clip.Duration.TotalSeconds * 16000) * 2,
                            ["nbest"] = rescored.NBest.Select(h => new Dictionary<string, object> { ["text"] = h.Text, ["acoustic"] = Math.Round(h.AcousticScore, 4), ["lm"] = Math.Round(h.LmScore, 4), ["total"] = Math.Round(h.TotalScore, 4) }).ToList(),
                        };
                    }

                    results.Add(entry);
                }
                else
                {
                    console.Output.WriteLine(inputs.Length == 1 ? text : $"{input}\t{text}");
                }
            }

            if (asJson)
            {
                object payload = results.Count == 1 ? results[0] : results;
                console.Output.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        });
        return command;
    }

    private static string LatticePathFor(string latticePath, string input)
    {
        string dir = Path.GetDirectoryName(latticePath) ?? "";
        return Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(latticePath)}.{Path.GetFileNameWithoutExtension(input)}{Path.GetExtension(latticePath)}");
    }

    internal static Dictionary<string, object?> ToJson(string input, RecognitionResult result, double audioSeconds, double decodeSeconds) => new()
    {
        ["audio"] = input,
        ["text"] = result.Text,
        ["duration"] = Math.Round(audioSeconds, 3),
        ["rtf"] = audioSeconds > 0 ? Math.Round(decodeSeconds / audioSeconds, 4) : null,
        ["words"] = result.Words.Select(w => new Dictionary<string, object>
        {
            ["word"] = w.Text,
            ["start"] = Math.Round(w.Start, 3),
            ["end"] = Math.Round(w.End, 3),
            ["confidence"] = Math.Round(w.Confidence, 4),
        }).ToList(),
        ["tokens"] = result.TokenIds.Select((id, i) => new Dictionary<string, object>
        {
            ["id"] = id,
            ["piece"] = result.Tokens[i],
            ["frame"] = result.TokenFrames[i],
        }).ToList(),
        ["nbest"] = result.NBest.Select(h => new Dictionary<string, object> { ["text"] = h.Text, ["score"] = Math.Round(h.Score, 4) }).ToList(),
    };
}
