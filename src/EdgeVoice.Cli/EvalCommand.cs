using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Cloud.Client;
using EdgeVoice.Audio;
using EdgeVoice.Scoring;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice eval`: recognise every utterance of a manifest (JSON lines: id, audio relative to the manifest's
/// folder, text, speaker, corpus, split) and report WER overall, per corpus and per speaker, and the real-time
/// factor (recognition time, features included, over audio duration; reading the files is excluded).
/// </summary>
public static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest (.jsonl) with id, audio, text, speaker, corpus, split per line." };
        var split = new Option<string?>("--split") { Description = "Only utterances of this split (e.g. dev)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N selected utterances." };
        var json = new Option<bool>("--json") { Description = "Print JSON: utterances, words, wer, sub, del, ins, rtf, per_corpus, per_speaker." };
        var hypotheses = new Option<string?>("--hyp-out") { Description = "Also write the hypotheses as JSON lines (id, text) to this file." };
        var recognizerOptions = new RecognizerCliOptions();
        var nbest = new Option<int?>("--nbest")
        {
            Description = $"Hypotheses per utterance in the lattice sent for rescoring (default {RecognizerOptions.Default.NBestSize}; at most the beam).",
        };
        var cloudOptions = new CloudCliOptions();

        var command = new Command("eval", "Word error rate and real-time factor of the recognizer over a manifest.");
        command.Arguments.Add(manifest);
        command.Options.Add(split);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.Options.Add(hypotheses);
        command.Options.Add(nbest);
        recognizerOptions.AddTo(command);
        cloudOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string manifestPath = parsed.GetRequiredValue(manifest);
            List<ManifestEntry> entries = ReadManifest(manifestPath, parsed.GetValue(split));
            if (parsed.GetValue(limit) is int n)
            {
                entries = entries.Take(Math.Max(0, n)).ToList();
            }

            if (entries.Count == 0)
            {
                throw new InvalidDataException($"{manifestPath}: no utterances selected{(parsed.GetValue(split) is { } s ? $" for split '{s}'" : "")}.");
            }

            using CloudRescoringClient? cloud = cloudOptions.CreateClient(parsed);
            Recognizer recognizer = recognizerOptions.Create(parsed, parsed.GetValue(nbest), forceBeam: cloud is not null);
            var deviceTexts = new string[entries.Count];
            var context = recognizerOptions.CreateContext(parsed, recognizer);
            string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
            var texts = new string[entries.Count];
            double audioSeconds = 0, decodeSeconds = 0;
            CliProgress.Run(console, "eval", progress =>
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    ManifestEntry e = entries[i];
                    AudioClip clip;
                    try
                    {
                        clip = AudioFile.ReadAtSourceRate(Path.Combine(folder, e.Audio));
                    }
                    catch (Exception ex) when (ex is AudioException or IOException)
                    {
                        throw new InvalidDataException($"utterance {e.Id}: {ex.Message}", ex);
                    }

                    var watch = Stopwatch.StartNew();
                    RecognitionResult result = recognizer.Recognize(clip, context);
                    decodeSeconds += watch.Elapsed.TotalSeconds;
                    deviceTexts[i] = result.Text;
                    texts[i] = cloud is null ? result.Text : CloudCliOptions.Rescore(cloud, result.ToLattice(e.Id)).Text;
                    audioSeconds += clip.Duration.TotalSeconds;
                    progress.Report((i + 1.0) / entries.Count);
                }

                return 0;
            });

            if (parsed.GetValue(hypotheses) is { } hypPath)
            {
                File.WriteAllLines(hypPath, entries.Select((e, i) => JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = e.Id, ["text"] = texts[i] })));
            }

            ScoringReport overall = WerScorer.Score(entries.Select((e, i) => ScoringPair.FromText(e.Id, e.Speaker, e.Text, texts[i])));
            var perCorpus = entries.Select((e, i) => (e, i)).GroupBy(x => x.e.Corpus).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => WerScorer.Score(g.Select(x => ScoringPair.FromText(x.e.Id, x.e.Speaker, x.e.Text, texts[x.i]))).Totals);
            double rtf = audioSeconds > 0 ? decodeSeconds / audioSeconds : 0;
            if (parsed.GetValue(json))
            {
                var payload = new Dictionary<string, object?>
                {
                    ["manifest"] = manifestPath,
                    ["model"] = recognizer.Model.File.Path,
                    ["decoding"] = recognizer.Options.ToString(),
                    ["utterances"] = entries.Count,
                    ["audio_seconds"] = Math.Round(audioSeconds, 2),
                    ["rtf"] = Math.Round(rtf, 5),
                };
                foreach (var (key, value) in Counts(overall.Totals))
                {
                    payload[key] = value;
                }

                if (cloud is not null)
                {
                    payload["device_wer"] = Counts(WerScorer.Score(entries.Select((e, i) => ScoringPair.FromText(e.Id, e.Speaker, e.Text, deviceTexts[i]))).Totals)["wer"];
                    payload["cloud_lattice_bytes"] = cloud.LatticeBytesSent;
                    payload["audio_pcm16_bytes"] = (long)Math.Round(audioSeconds * 16000) * 2;
                }

                payload["per_corpus"] = perCorpus.ToDictionary(kv => kv.Key, kv => Counts(kv.Value));
                payload["per_speaker"] = overall.Speakers.ToDictionary(s => s.Speaker, s => Counts(s.Counts));
                console.Output.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                console.Output.WriteLine($"{entries.Count} utterances, {audioSeconds:F1} s of audio, {recognizer.Options}");
                console.Output.WriteLine($"WER {Format(overall.Totals)}{(cloud is null ? "" : " after cloud rescoring")}");
                if (cloud is not null)
                {
                    ErrorCounts device = WerScorer.Score(entries.Select((e, i) => ScoringPair.FromText(e.Id, e.Speaker, e.Text, deviceTexts[i]))).Totals;
                    console.Output.WriteLine($"  device 1-best       WER {Format(device)}; {cloud.LatticeBytesSent} lattice bytes sent for {audioSeconds * 32000:F0} bytes of 16-bit audio");
                }
                foreach (var (corpus, counts) in perCorpus)
                {
                    console.Output.WriteLine($"  {corpus,-20} WER {Format(counts)}");
                }

                foreach (SpeakerScore speaker in overall.Speakers)
                {
                    console.Output.WriteLine($"  speaker {speaker.Speaker,-30} WER {Format(speaker.Counts)}");
                }

                console.Output.WriteLine($"RTF {rtf:F4} ({decodeSeconds:F1} s to recognise {audioSeconds:F1} s, one thread)");
            }

            return 0;
        });
        return command;
    }

    private static Dictionary<string, object?> Counts(ErrorCounts c) => new()
    {
        ["utterances"] = c.Utterances,
        ["words"] = c.Words,
        ["wer"] = c.WerPercent is { } w ? Math.Round(w, 3) : null,
        ["sub"] = c.Substitutions,
        ["del"] = c.Deletions,
        ["ins"] = c.Insertions,
    };

    private static string Format(ErrorCounts c) =>
        $"{(c.WerPercent is { } w ? $"{w:F2}%" : "n/a")} [{c.Words} words, S {c.Substitutions} D {c.Deletions} I {c.Insertions}, {c.Utterances} utts]";

    private static List<ManifestEntry> ReadManifest(string path, string? split)
    {
        var entries = new List<ManifestEntry>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement r = doc.RootElement;
                string Field(string name, bool required = true) =>
                    r.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String
                        ? v.GetString()!
                        : required ? throw new InvalidDataException($"{path}:{lineNumber}: missing string field \"{name}\".") : "";
                var entry = new ManifestEntry(Field("id"), Field("audio"), Field("text"), Field("speaker", false) is { Length: > 0 } s ? s : "unknown",
                    Field("corpus", false) is { Length: > 0 } c ? c : "unknown", Field("split", false));
                if (split is null || entry.Split == split)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object ({e.Message}).", e);
            }
        }

        return entries;
    }

    private sealed record ManifestEntry(string Id, string Audio, string Text, string Speaker, string Corpus, string Split);
}
