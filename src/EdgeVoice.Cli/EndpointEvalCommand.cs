using System.CommandLine;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice endpoint-eval`: end-points utterances the way a user would produce them and reports, per end-pointer,
/// the latency from the true end of speech (the manifest's <c>speech_end</c>) to the end-point and the rate of
/// premature end-points. Each utterance is cut at its speech end, optionally given a mid-sentence pause (at the
/// quietest 40 ms inside the speech, so usually between words), followed by 3 s of trailing non-speech, with
/// Gaussian noise over all of it; fixed seed.
/// </summary>
public static class EndpointEvalCommand
{
    private const double TrailingSeconds = 3.0;
    private const int ChunkMs = 100;

    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest (.jsonl) with id, audio, speech_start and speech_end per line." };
        var split = new Option<string?>("--split") { Description = "Only utterances of this split (e.g. test)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N selected utterances." };
        var pauseRate = new Option<double>("--pause-rate") { Description = "Share of utterances given a mid-sentence pause.", DefaultValueFactory = _ => 0.3 };
        var pauseMin = new Option<double>("--pause-min") { Description = "Shortest pause in seconds.", DefaultValueFactory = _ => 0.15 };
        var pauseMax = new Option<double>("--pause-max") { Description = "Longest pause in seconds.", DefaultValueFactory = _ => 0.45 };
        var noiseDb = new Option<double>("--noise-db") { Description = "Level of the added Gaussian noise in dB full scale.", DefaultValueFactory = _ => -55 };
        var finalSilence = new Option<double?>("--final-silence") { Description = $"Rule 2 of the final end-pointer in seconds (default {EndpointOptions.Final.SilenceAfterSpeech})." };
        var speculativeSilence = new Option<double?>("--speculative-silence") { Description = $"Rule 2 of the speculative end-pointer in seconds (default {EndpointOptions.Speculative.SilenceAfterSpeech})." };
        var energy = new Option<double?>("--silence-energy-db") { Description = "Also require frames quieter than this (dB full scale) to count as silence." };
        var seed = new Option<int>("--seed") { Description = "Seed of pauses and noise.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var recognizerOptions = new RecognizerCliOptions();

        var command = new Command("endpoint-eval", "Latency and premature-end-point rate of the final and speculative end-pointers over a manifest.");
        command.Arguments.Add(manifest);
        foreach (Option option in new Option[] { split, limit, pauseRate, pauseMin, pauseMax, noiseDb, finalSilence, speculativeSilence, energy, seed, json })
        {
            command.Options.Add(option);
        }

        recognizerOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetRequiredValue(manifest);
            var entries = Read(path, parsed.GetValue(split));
            if (parsed.GetValue(limit) is int n)
            {
                entries = entries.Take(Math.Max(0, n)).ToList();
            }

            if (entries.Count == 0)
            {
                throw new InvalidDataException($"{path}: no utterances with speech_end selected.");
            }

            EndpointOptions final = EndpointOptions.Final, speculative = EndpointOptions.Speculative;
            var options = new EndpointingOptions
            {
                Final = parsed.GetValue(finalSilence) is { } f ? new EndpointOptions { SilenceAfterSpeech = f, SilenceBeforeSpeech = final.SilenceBeforeSpeech, MaxUtteranceLength = final.MaxUtteranceLength } : final,
                Speculative = parsed.GetValue(speculativeSilence) is { } s ? new EndpointOptions { SilenceAfterSpeech = s, SilenceBeforeSpeech = speculative.SilenceBeforeSpeech, MaxUtteranceLength = speculative.MaxUtteranceLength } : speculative,
                SilenceEnergyDb = parsed.GetValue(energy),
            };
            options.Validate();
            double minPause = parsed.GetValue(pauseMin), maxPause = parsed.GetValue(pauseMax), rate = parsed.GetValue(pauseRate);
            if (minPause < 0 || maxPause < minPause || rate is < 0 or > 1)
            {
                throw new CliUsageException("--pause-min/--pause-max must satisfy 0 <= min <= max, and --pause-rate must be in [0, 1].");
            }

            Recognizer recognizer = recognizerOptions.Create(parsed);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            var outcomes = new List<Outcome>();
            CliProgress.Run(console, "endpoint-eval", progress =>
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    var random = new Random(parsed.GetValue(seed) + (i * 7919));
                    AudioClip clip = AudioFile.Read(Path.Combine(folder, entries[i].Audio));
                    (float[] signal, double trueEnd, bool paused) = Build(clip, entries[i], random, rate, minPause, maxPause, parsed.GetValue(noiseDb));
                    outcomes.Add(Run(recognizer, options, signal, clip.SampleRate, trueEnd, paused));
                    progress.Report((i + 1.0) / entries.Count);
                }

                return 0;
            });

            var report = new Dictionary<string, object?>
            {
                ["manifest"] = path,
                ["utterances"] = outcomes.Count,
                ["with_pause"] = outcomes.Count(o => o.Paused),
                ["endpointing"] = options.ToString(),
                ["final"] = Summary(outcomes.Select(o => o.Final).ToList()),
                ["speculative"] = Summary(outcomes.Select(o => o.Speculative).ToList()),
                ["speculative_early_then_reset"] = outcomes.Count(o => o.Speculative is < 0 && o.ResetAfterEarlySpeculative),
                ["speculative_gain_median_ms"] = Median(outcomes.Where(o => o.Final is >= 0 && o.Speculative is >= 0).Select(o => (o.Final!.Value - o.Speculative!.Value) * 1000).ToList()),
            };
            if (parsed.GetValue(json))
            {
                console.Output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                console.Output.WriteLine($"{outcomes.Count} utterances ({report["with_pause"]} with a pause), {options}");
                foreach (string name in new[] { "final", "speculative" })
                {
                    var summary = (Dictionary<string, object?>)report[name]!;
                    console.Output.WriteLine($"  {name,-11} latency median {summary["latency_median_ms"]} ms, p90 {summary["latency_p90_ms"]} ms; premature {summary["premature_percent"]}%; never fired {summary["missed"]}");
                }

                console.Output.WriteLine($"  speculative earlier than final by {report["speculative_gain_median_ms"]} ms (median); premature speculative end-points followed by a reset: {report["speculative_early_then_reset"]}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Latency (s, negative = premature, null = never fired) of each end-pointer on one utterance.</summary>
    private sealed record Outcome(double? Final, double? Speculative, bool ResetAfterEarlySpeculative, bool Paused);

    private sealed record Entry(string Audio, double SpeechStart, double SpeechEnd);

    private static (float[] Signal, double TrueEnd, bool Paused) Build(
        AudioClip clip, Entry entry, Random random, double pauseRate, double minPause, double maxPause, double noiseDb)
    {
        int rate = clip.SampleRate;
        int end = Math.Clamp((int)(entry.SpeechEnd * rate), 0, clip.Samples.Length);
        var speech = clip.Samples.AsSpan(0, end).ToArray().ToList();
        bool paused = random.NextDouble() < pauseRate;
        double pause = 0;
        if (paused)
        {
            int frame = rate / 25;
            int from = (int)((entry.SpeechStart + 0.25) * rate), to = end - (int)(0.25 * rate) - frame;
            if (to > from)
            {
                int best = from;
                double quietest = double.MaxValue;
                for (int s = from; s < to; s += frame / 2)
                {
                    double energy = 0;
                    for (int k = 0; k < frame; k++)
                    {
                        energy += speech[s + k] * speech[s + k];
                    }

                    if (energy < quietest)
                    {
                        quietest = energy;
                        best = s + (frame / 2);
                    }
                }

                pause = minPause + (random.NextDouble() * (maxPause - minPause));
                speech.InsertRange(best, new float[(int)(pause * rate)]);
            }
            else
            {
                paused = false;
            }
        }

        speech.AddRange(new float[(int)(TrailingSeconds * rate)]);
        double sigma = Math.Pow(10, noiseDb / 20);
        var signal = speech.ToArray();
        for (int i = 0; i < signal.Length; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            signal[i] = Math.Clamp(signal[i] + (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)), -1f, 1f);
        }

        return (signal, entry.SpeechEnd + pause, paused);
    }

    private static Outcome Run(Recognizer recognizer, EndpointingOptions options, float[] signal, int rate, double trueEnd, bool paused)
    {
        using RecognitionStream stream = recognizer.CreateStream(endpointing: options);
        double? final = null, speculative = null;
        bool resetAfterEarly = false;
        int chunk = rate * ChunkMs / 1000;
        for (int i = 0; i < signal.Length && final is null; i += chunk)
        {
            stream.AcceptAudio(signal.AsSpan(i, Math.Min(chunk, signal.Length - i)), rate);
            while (stream.TryGetEndpointEvent(out EndpointEvent? e))
            {
                if (e.Kind == EndpointEventKind.SpeculativeEndpoint && speculative is null)
                {
                    speculative = e.Time - trueEnd;
                }
                else if (e.Kind == EndpointEventKind.Reset && speculative is < 0)
                {
                    resetAfterEarly = true;
                }
                else if (e.Kind == EndpointEventKind.FinalEndpoint && final is null)
                {
                    final = e.Time - trueEnd;
                }
            }
        }

        return new Outcome(final, speculative, resetAfterEarly, paused);
    }

    private static Dictionary<string, object?> Summary(List<double?> latencies)
    {
        var fired = latencies.Where(l => l is not null).Select(l => l!.Value).ToList();
        var onTime = fired.Where(l => l >= 0).Select(l => l * 1000).ToList();
        return new Dictionary<string, object?>
        {
            ["latency_median_ms"] = Median(onTime),
            ["latency_p90_ms"] = Percentile(onTime, 0.9),
            ["premature_percent"] = latencies.Count == 0 ? null : Math.Round(100.0 * fired.Count(l => l < 0) / latencies.Count, 2),
            ["missed"] = latencies.Count - fired.Count,
        };
    }

    private static double? Median(List<double> values) => Percentile(values, 0.5);

    private static double? Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return Math.Round(sorted[low] + ((position - low) * (sorted[high] - sorted[low])), 1);
    }

    private static List<Entry> Read(string path, string? split)
    {
        var entries = new List<Entry>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement r = doc.RootElement;
                if (split is not null && (!r.TryGetProperty("split", out JsonElement s) || s.GetString() != split))
                {
                    continue;
                }

                if (!r.TryGetProperty("audio", out JsonElement audio) || !r.TryGetProperty("speech_end", out JsonElement end) || end.ValueKind != JsonValueKind.Number)
                {
                    continue; // utterances without a known end of speech cannot be scored
                }

                double start = r.TryGetProperty("speech_start", out JsonElement st) && st.ValueKind == JsonValueKind.Number ? st.GetDouble() : 0;
                entries.Add(new Entry(audio.GetString()!, start, end.GetDouble()));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not a JSON object ({e.Message}).", e);
            }
        }

        return entries;
    }
}
