using System.CommandLine;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Endpointing;
using EdgeVoice.Audio;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice endpoint-eval`: end-points utterances the way a user produces them and reports, per end-pointer, the
/// latency from the true end of speech to the end-point and the rate of premature end-points. Utterances are cut at
/// their end of speech (the manifest's <c>speech_end</c> from the synthesis or, for recordings without one, the end
/// of the last frame within 35 dB of the loudest: an energy alignment of the clean recording), some given a
/// mid-sentence hesitation (at the quietest 40 ms inside the speech, so usually between words), and joined into
/// sessions of several utterances separated by pauses of varied length, one stream per session as a device hears
/// them, with Gaussian noise over all of it; fixed seed. A premature speculative end-point counts as recovered when a
/// Reset follows it and the last result given before the final end-point (a reset's or a later speculative one's)
/// equals the utterance's final result.
/// </summary>
public static class EndpointEvalCommand
{
    private const int ChunkMs = 100;

    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest (.jsonl) with id, audio and (optionally) speech_start and speech_end per line." };
        var split = new Option<string?>("--split") { Description = "Only utterances of this split (e.g. test)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N selected utterances." };
        var every = new Option<int>("--every") { Description = "Only every N-th selected utterance (before --limit).", DefaultValueFactory = _ => 1 };
        var pauseRate = new Option<double>("--pause-rate") { Description = "Share of utterances given a mid-sentence hesitation.", DefaultValueFactory = _ => 0.3 };
        var pauseMin = new Option<double>("--pause-min") { Description = "Shortest hesitation in seconds.", DefaultValueFactory = _ => 0.15 };
        var pauseMax = new Option<double>("--pause-max") { Description = "Longest hesitation in seconds.", DefaultValueFactory = _ => 0.45 };
        var perSession = new Option<int>("--per-session") { Description = "Utterances joined into one stream.", DefaultValueFactory = _ => 4 };
        var gapMin = new Option<double>("--gap-min") { Description = "Shortest pause between joined utterances in seconds.", DefaultValueFactory = _ => 1.0 };
        var gapMax = new Option<double>("--gap-max") { Description = "Longest pause between joined utterances in seconds (the last utterance of a session is followed by this).", DefaultValueFactory = _ => 3.0 };
        var noiseDb = new Option<double>("--noise-db") { Description = "Level of the added Gaussian noise in dB full scale.", DefaultValueFactory = _ => -55 };
        var finalSilence = new Option<double?>("--final-silence") { Description = $"Rule 2 of the final end-pointer in seconds (default {EndpointOptions.Final.SilenceAfterSpeech})." };
        var speculativeSilence = new Option<double?>("--speculative-silence") { Description = $"Rule 2 of the speculative end-pointer in seconds (default {EndpointOptions.Speculative.SilenceAfterSpeech})." };
        var energy = new Option<double?>("--silence-energy-db") { Description = "Also require frames quieter than this (dB full scale) to count as silence." };
        var belowPeak = new Option<double?>("--silence-below-peak-db") { Description = "Also require frames this many dB under the loudest frame so far to count as silence." };
        var resume = new Option<int>("--speech-resume-frames") { Description = "With an energy test: loud 40 ms frames in a row that withdraw a pending speculative end-point (0: off).", DefaultValueFactory = _ => EndpointingOptions.Default.SpeechResumeFrames };
        var decision = new Option<int>("--decision-frames") { Description = "Encoder frames between end-point decisions (0: the model's chunk).", DefaultValueFactory = _ => EndpointingOptions.Default.DecisionFrames };
        var seed = new Option<int>("--seed") { Description = "Seed of hesitations, pauses and noise.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var outcomesOut = new Option<string?>("--outcomes") { Description = "Write one line per utterance to this TSV file: id, reference, final and speculative latency (ms; negative: premature), final rule, final and speculative text." };
        var recognizerOptions = new RecognizerCliOptions();

        var command = new Command("endpoint-eval", "Latency and premature-end-point rate of the final and speculative end-pointers over a manifest.");
        command.Arguments.Add(manifest);
        foreach (Option option in new Option[] { split, limit, every, pauseRate, pauseMin, pauseMax, perSession, gapMin, gapMax, noiseDb, finalSilence, speculativeSilence, energy, belowPeak, resume, decision, seed, json, outcomesOut })
        {
            command.Options.Add(option);
        }

        recognizerOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetRequiredValue(manifest);
            int stride = parsed.GetValue(every);
            if (stride < 1)
            {
                throw new CliUsageException("--every must be at least 1.");
            }

            var entries = Read(path, parsed.GetValue(split)).Where((_, i) => i % stride == 0).ToList();
            if (parsed.GetValue(limit) is int n)
            {
                entries = entries.Take(Math.Max(0, n)).ToList();
            }

            if (entries.Count == 0)
            {
                throw new InvalidDataException($"{path}: no utterances selected.");
            }

            EndpointOptions final = EndpointOptions.Final, speculative = EndpointOptions.Speculative;
            var options = new EndpointingOptions
            {
                Final = parsed.GetValue(finalSilence) is { } f ? new EndpointOptions { SilenceAfterSpeech = f, SilenceBeforeSpeech = final.SilenceBeforeSpeech, MaxUtteranceLength = final.MaxUtteranceLength } : final,
                Speculative = parsed.GetValue(speculativeSilence) is { } s ? new EndpointOptions { SilenceAfterSpeech = s, SilenceBeforeSpeech = speculative.SilenceBeforeSpeech, MaxUtteranceLength = speculative.MaxUtteranceLength } : speculative,
                SilenceEnergyDb = parsed.GetValue(energy),
                SilenceBelowPeakDb = parsed.GetValue(belowPeak),
                SpeechResumeFrames = parsed.GetValue(resume),
                DecisionFrames = parsed.GetValue(decision),
            };
            options.Validate();
            var plan = new SessionPlan(
                parsed.GetValue(pauseRate), parsed.GetValue(pauseMin), parsed.GetValue(pauseMax),
                parsed.GetValue(perSession), parsed.GetValue(gapMin), parsed.GetValue(gapMax), parsed.GetValue(noiseDb));
            plan.Validate();

            Recognizer recognizer = recognizerOptions.Create(parsed);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            var outcomes = new List<Outcome>();
            int estimated = 0;
            CliProgress.Run(console, "endpoint-eval", progress =>
            {
                for (int first = 0; first < entries.Count; first += plan.PerSession)
                {
                    var random = new Random(parsed.GetValue(seed) + (first * 7919));
                    var parts = new List<(AudioClip Clip, Entry Entry)>();
                    foreach (Entry entry in entries.Skip(first).Take(plan.PerSession))
                    {
                        AudioClip clip = AudioFile.Read(Path.Combine(folder, entry.Audio));
                        if (entry.SpeechEnd is null)
                        {
                            estimated++;
                        }

                        parts.Add((clip, entry));
                    }

                    Session session = Build(parts, plan, random);
                    outcomes.AddRange(Run(recognizer, options, session).Select((o, k) => o with { Id = parts[k].Entry.Id, Reference = parts[k].Entry.Text }));
                    progress.Report(Math.Min(1.0, (first + plan.PerSession) / (double)entries.Count));
                }

                return 0;
            });

            if (parsed.GetValue(outcomesOut) is { } tsv)
            {
                static string Ms(double? latency) => latency is { } l ? Math.Round(l * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
                File.WriteAllLines(tsv, outcomes.Select(o => string.Join('\t', o.Id, o.Reference, Ms(o.Final), Ms(o.Speculative), o.FinalRule, o.FinalText, o.SpeculativeText)));
            }

            var early = outcomes.Where(o => o.Speculative is < 0).ToList();
            var report = new Dictionary<string, object?>
            {
                ["manifest"] = path,
                ["utterances"] = outcomes.Count,
                ["sessions"] = (outcomes.Count + plan.PerSession - 1) / plan.PerSession,
                ["speech_end_estimated"] = estimated,
                ["with_pause"] = outcomes.Count(o => o.Paused),
                ["endpointing"] = options.ToString(),
                ["final"] = Summary(outcomes.Select(o => o.Final).ToList()),
                ["speculative"] = Summary(outcomes.Select(o => o.Speculative).ToList()),
                ["speculative_premature"] = early.Count,
                ["speculative_premature_then_reset"] = early.Count(o => o.ResetAfterEarlySpeculative),
                ["speculative_premature_recovered"] = early.Count(o => o.RevisedMatchesFinal),
                ["per_utterance"] = outcomes.Select(o => new Dictionary<string, object?>
                {
                    ["final_ms"] = o.Final is { } f ? Math.Round(f * 1000, 1) : null,
                    ["speculative_ms"] = o.Speculative is { } s ? Math.Round(s * 1000, 1) : null,
                    ["hesitation"] = o.Paused,
                    ["final_rule"] = o.FinalRule,
                    ["final_text"] = o.FinalText,
                    ["speculative_text"] = o.SpeculativeText,
                }).ToList(),
                ["speculative_gain_median_ms"] = Median(outcomes.Where(o => o.Final is >= 0 && o.Speculative is >= 0).Select(o => (o.Final!.Value - o.Speculative!.Value) * 1000).ToList()),
            };
            if (parsed.GetValue(json))
            {
                console.Output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                console.Output.WriteLine($"{outcomes.Count} utterances in {report["sessions"]} sessions ({report["with_pause"]} with a hesitation, {estimated} speech ends estimated from energy), {options}");
                foreach (string name in new[] { "final", "speculative" })
                {
                    var summary = (Dictionary<string, object?>)report[name]!;
                    console.Output.WriteLine($"  {name,-11} latency median {summary["latency_median_ms"]} ms, p90 {summary["latency_p90_ms"]} ms; premature {summary["premature_percent"]}%; never fired {summary["missed"]}");
                }

                console.Output.WriteLine($"  speculative earlier than final by {report["speculative_gain_median_ms"]} ms (median); premature speculative end-points: {early.Count}, followed by a reset: {report["speculative_premature_then_reset"]}, revised result equal to the final one: {report["speculative_premature_recovered"]}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Latency (s, negative = premature, null = never fired) of each end-pointer on one utterance.</summary>
    private sealed record Outcome(double? Final, double? Speculative, bool ResetAfterEarlySpeculative, bool RevisedMatchesFinal, bool Paused, string FinalRule = "", string FinalText = "", string SpeculativeText = "")
    {
        public string Id { get; init; } = "";

        public string Reference { get; init; } = "";
    }

    private sealed record Entry(string Audio, double SpeechStart, double? SpeechEnd, string Id = "", string Text = "");

    private sealed record SessionPlan(double PauseRate, double PauseMin, double PauseMax, int PerSession, double GapMin, double GapMax, double NoiseDb)
    {
        public void Validate()
        {
            if (PauseMin < 0 || PauseMax < PauseMin || PauseRate is < 0 or > 1)
            {
                throw new CliUsageException("--pause-min/--pause-max must satisfy 0 <= min <= max, and --pause-rate must be in [0, 1].");
            }

            if (PerSession < 1 || GapMin <= 0 || GapMax < GapMin)
            {
                throw new CliUsageException("--per-session must be at least 1 and --gap-min/--gap-max must satisfy 0 < min <= max.");
            }
        }
    }

    /// <summary>One stream: the signal, and per utterance where its speech starts and where it truly ends (seconds).</summary>
    private sealed record Session(float[] Signal, int SampleRate, List<(double Start, double TrueEnd, bool Paused)> Utterances);

    private static Session Build(List<(AudioClip Clip, Entry Entry)> parts, SessionPlan plan, Random random)
    {
        int rate = parts[0].Clip.SampleRate;
        var signal = new List<float>();
        var utterances = new List<(double, double, bool)>();
        for (int u = 0; u < parts.Count; u++)
        {
            (AudioClip clip, Entry entry) = parts[u];
            (double speechStart, double speechEnd) = entry.SpeechEnd is { } known ? (entry.SpeechStart, known) : EstimateSpeech(clip.Samples, rate);
            double start = (signal.Count / (double)rate) + speechStart;
            int end = Math.Clamp((int)(speechEnd * rate), 0, clip.Samples.Length);
            var speech = clip.Samples.AsSpan(0, end).ToArray().ToList();
            bool paused = random.NextDouble() < plan.PauseRate;
            double pause = 0;
            if (paused)
            {
                int frame = rate / 25;
                int from = (int)((speechStart + 0.25) * rate), to = end - (int)(0.25 * rate) - frame;
                if (to > from)
                {
                    int best = from;
                    double quietest = double.MaxValue;
                    for (int s = from; s < to; s += frame / 2)
                    {
                        double e = 0;
                        for (int k = 0; k < frame; k++)
                        {
                            e += speech[s + k] * speech[s + k];
                        }

                        if (e < quietest)
                        {
                            quietest = e;
                            best = s + (frame / 2);
                        }
                    }

                    pause = plan.PauseMin + (random.NextDouble() * (plan.PauseMax - plan.PauseMin));
                    speech.InsertRange(best, new float[(int)(pause * rate)]);
                }
                else
                {
                    paused = false;
                }
            }

            signal.AddRange(speech);
            utterances.Add((start, signal.Count / (double)rate, paused));
            double gap = u == parts.Count - 1 ? plan.GapMax : plan.GapMin + (random.NextDouble() * (plan.GapMax - plan.GapMin));
            signal.AddRange(new float[(int)(gap * rate)]);
        }

        double sigma = Math.Pow(10, plan.NoiseDb / 20);
        float[] samples = signal.ToArray();
        for (int i = 0; i < samples.Length; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            samples[i] = Math.Clamp(samples[i] + (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)), -1f, 1f);
        }

        return new Session(samples, rate, utterances);
    }

    /// <summary>Start and end (s) of the first and last 10 ms frames whose energy is within 35 dB of the loudest frame's.</summary>
    public static (double Start, double End) EstimateSpeech(ReadOnlySpan<float> samples, int rate)
    {
        int frame = Math.Max(1, rate / 100);
        int frames = samples.Length / frame;
        if (frames == 0)
        {
            return (0, samples.Length / (double)rate);
        }

        var energy = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            foreach (float x in samples.Slice(f * frame, frame))
            {
                sum += x * (double)x;
            }

            energy[f] = sum / frame;
        }

        double threshold = energy.Max() * Math.Pow(10, -35 / 10.0);
        int first = Array.FindIndex(energy, e => e >= threshold), last = Array.FindLastIndex(energy, e => e >= threshold);
        return (first * frame / (double)rate, (last + 1) * frame / (double)rate);
    }

    private static List<Outcome> Run(Recognizer recognizer, EndpointingOptions options, Session session)
    {
        using RecognitionStream stream = recognizer.CreateStream(endpointing: options);
        var events = new List<EndpointEvent>();
        int chunk = session.SampleRate * ChunkMs / 1000;
        for (int i = 0; i < session.Signal.Length; i += chunk)
        {
            stream.AcceptAudio(session.Signal.AsSpan(i, Math.Min(chunk, session.Signal.Length - i)), session.SampleRate);
            while (stream.TryGetEndpointEvent(out EndpointEvent? e))
            {
                events.Add(e);
            }
        }

        stream.InputFinished();
        while (stream.TryGetEndpointEvent(out EndpointEvent? e))
        {
            events.Add(e);
        }

        var outcomes = new List<Outcome>();
        for (int u = 0; u < session.Utterances.Count; u++)
        {
            (double start, double trueEnd, bool paused) = session.Utterances[u];
            double next = u + 1 < session.Utterances.Count ? session.Utterances[u + 1].Start : double.MaxValue;

            // The events of this utterance: from the start of its speech to the start of the next one's, except end-points of
            // empty utterances (rule 1 in the pauses). End-points before its speech starts close whatever the decoder
            // made of the pause (noise) and are not cut-offs of this utterance.
            var mine = events.Where(e => e.Time > start && e.Time <= next && e.Rule != EndpointRule.SilenceBeforeSpeech).ToList();
            EndpointEvent? firstFinal = mine.FirstOrDefault(e => e.Kind == EndpointEventKind.FinalEndpoint);
            EndpointEvent? firstSpeculative = mine.FirstOrDefault(e => e.Kind == EndpointEventKind.SpeculativeEndpoint);
            bool reset = false, recovered = false;
            if (firstSpeculative is not null && firstSpeculative.Time < trueEnd)
            {
                EndpointEvent? closing = mine.FirstOrDefault(e => e.Kind == EndpointEventKind.FinalEndpoint && e.Time >= trueEnd);
                var resets = mine.Where(e => e.Kind == EndpointEventKind.Reset && e.Time > firstSpeculative.Time && (closing is null || e.Time <= closing.Time)).ToList();
                reset = resets.Count > 0;

                // Recovered: after the reset, the last result downstream was given before the utterance closed (a later
                // speculative end-point or a reset) is the final one.
                EndpointEvent? latest = closing is null ? null : mine.LastOrDefault(e => e.Kind != EndpointEventKind.FinalEndpoint && e.Time > firstSpeculative.Time && e.Time <= closing.Time);
                recovered = reset && latest is not null && latest.Result.Text == closing!.Result.Text;
            }

            outcomes.Add(new Outcome(firstFinal?.Time - trueEnd, firstSpeculative?.Time - trueEnd, reset, recovered, paused, firstFinal?.Rule.ToString() ?? "", firstFinal?.Result.Text ?? "", firstSpeculative?.Result.Text ?? ""));
        }

        return outcomes;
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

    private static List<Entry> Read(string path, string? split) => ManifestLines.Read(path, split, r =>
    {
        if (!r.TryGetProperty("audio", out JsonElement audio) || audio.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("no \"audio\" path.");
        }

        double start = r.TryGetProperty("speech_start", out JsonElement st) && st.ValueKind == JsonValueKind.Number ? st.GetDouble() : 0;
        double? end = r.TryGetProperty("speech_end", out JsonElement en) && en.ValueKind == JsonValueKind.Number ? en.GetDouble() : null;
        string id = r.TryGetProperty("id", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
        string text = r.TryGetProperty("text", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        return new Entry(audio.GetString()!, start, end, id, text.ToUpperInvariant());
    });
}
