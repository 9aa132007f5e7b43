using System.CommandLine;
using System.Text.Json;
using EdgeVoice.Asr;
using EdgeVoice.Asr.Biasing;
using EdgeVoice.Audio;
using EdgeVoice.Scoring;

namespace EdgeVoice.Cli;

/// <summary>
/// `edgevoice bias-eval`: contextual biasing measured as issue 5 asks. Every selected utterance is recognised twice
/// with beam search, without a context and with one; the context holds the utterance's own entities of the chosen
/// types (the truth, from the manifest's entity spans) among distractors drawn from the other utterances' entities
/// and an optional phrase file, so each list has many wrong names and the right ones. Utterances without such an
/// entity are run with the same kind of list (distractors only). Reports the entity error rate (an entity is right
/// when every one of its reference words aligns to an equal hypothesis word and nothing is inserted inside it) and
/// WER, with and without biasing, for utterances with and without entities.
/// </summary>
public static class BiasEvalCommand
{
    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest (.jsonl) with id, audio, text and entities (type, text, start_word, end_word) per line." };
        var split = new Option<string?>("--split") { Description = "Only utterances of this split (e.g. test)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N selected utterances." };
        var every = new Option<int>("--every") { Description = "Only every N-th selected utterance (before --limit).", DefaultValueFactory = _ => 1 };
        var types = new Option<string>("--types") { Description = "Entity types that go into contexts (comma-separated).", DefaultValueFactory = _ => "contact,device,room,playlist,artist,song,city" };
        var distractors = new Option<int>("--distractors") { Description = "Wrong phrases in each context.", DefaultValueFactory = _ => 500 };
        var extra = new Option<string?>("--distractor-file") { Description = "More distractor phrases, one per line." };
        var boost = new Option<float>("--boost") { Description = "Bonus per matched token (natural log).", DefaultValueFactory = _ => ContextGraph.DefaultBoost };
        var seed = new Option<int>("--seed") { Description = "Seed of the distractor draw.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var hypothesesOut = new Option<string?>("--hypotheses") { Description = "Write id, reference, plain and biased hypotheses per utterance to this TSV file." };
        var recognizerOptions = new RecognizerCliOptions();

        var command = new Command("bias-eval", "Entity error rate and WER with and without contextual biasing over a manifest with entity spans.");
        command.Arguments.Add(manifest);
        foreach (Option option in new Option[] { split, limit, every, types, distractors, extra, boost, seed, json, hypothesesOut })
        {
            command.Options.Add(option);
        }

        recognizerOptions.AddTo(command, withContext: false); // each utterance gets its own context
        command.SetAction(parsed =>
        {
            string path = parsed.GetRequiredValue(manifest);
            int stride = parsed.GetValue(every);
            int distractorCount = parsed.GetValue(distractors);
            if (stride < 1 || distractorCount < 0)
            {
                throw new CliUsageException("--every must be at least 1 and --distractors at least 0.");
            }

            var wanted = parsed.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            List<Utterance> all = Read(path, parsed.GetValue(split), wanted);
            var pool = all.SelectMany(u => u.Entities).Select(e => e.Text).ToHashSet(StringComparer.Ordinal);
            if (parsed.GetValue(extra) is { } file)
            {
                pool.UnionWith(ContextPhrase.ReadFile(file).Select(p => p.Text.ToUpperInvariant()));
            }

            List<Utterance> selected = all.Where((_, i) => i % stride == 0).ToList();
            if (parsed.GetValue(limit) is int n)
            {
                selected = selected.Take(Math.Max(0, n)).ToList();
            }

            if (selected.Count == 0)
            {
                throw new InvalidDataException($"{path}: no utterances selected.");
            }

            Recognizer recognizer = recognizerOptions.Create(parsed, forceBeam: true);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string[] poolList = pool.Order(StringComparer.Ordinal).ToArray();
            float boostValue = parsed.GetValue(boost);
            var plain = new string[selected.Count];
            var biased = new string[selected.Count];
            double buildMs = 0;
            CliProgress.Run(console, "bias-eval", progress =>
            {
                for (int i = 0; i < selected.Count; i++)
                {
                    Utterance u = selected[i];
                    var random = new Random(parsed.GetValue(seed) + (i * 7919));
                    var truth = u.Entities.Select(e => e.Text).ToHashSet(StringComparer.Ordinal);
                    var phrases = truth.Select(t => new ContextPhrase(t)).ToList();
                    foreach (string d in poolList.Where(p => !truth.Contains(p)).OrderBy(_ => random.Next()).Take(distractorCount))
                    {
                        phrases.Add(new ContextPhrase(d));
                    }

                    AudioClip clip = AudioFile.ReadAtSourceRate(Path.Combine(folder, u.Audio));
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    ContextGraph context = recognizer.CreateContext(phrases, boostValue);
                    buildMs += watch.Elapsed.TotalMilliseconds;
                    plain[i] = recognizer.Recognize(clip).Text;
                    biased[i] = recognizer.Recognize(clip, context).Text;
                    progress.Report((i + 1.0) / selected.Count);
                }

                return 0;
            });

            if (parsed.GetValue(hypothesesOut) is { } tsv)
            {
                File.WriteAllLines(tsv, Enumerable.Range(0, selected.Count).Select(i =>
                    $"{selected[i].Id}\t{selected[i].Text.ToUpperInvariant()}\t{plain[i]}\t{biased[i]}\t{string.Join('|', selected[i].Entities.Select(e => e.Text))}"));
            }

            var withEntities = Enumerable.Range(0, selected.Count).Where(i => selected[i].Entities.Count > 0).ToList();
            var without = Enumerable.Range(0, selected.Count).Where(i => selected[i].Entities.Count == 0).ToList();
            Dictionary<string, object?> Part(List<int> indices) => new()
            {
                ["utterances"] = indices.Count,
                ["entities"] = indices.Sum(i => selected[i].Entities.Count),
                ["entity_error_rate"] = EntityErrorRate(selected, indices, plain),
                ["entity_error_rate_biased"] = EntityErrorRate(selected, indices, biased),
                ["wer"] = Wer(selected, indices, plain),
                ["wer_biased"] = Wer(selected, indices, biased),
            };
            var report = new Dictionary<string, object?>
            {
                ["manifest"] = path,
                ["types"] = string.Join(',', wanted.Order(StringComparer.Ordinal)),
                ["context_phrases"] = distractorCount,
                ["boost"] = boostValue,
                ["context_build_ms_mean"] = Math.Round(buildMs / selected.Count, 3),
                ["with_entities"] = Part(withEntities),
                ["without_entities"] = Part(without),
            };
            if (parsed.GetValue(json))
            {
                console.Output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                console.Output.WriteLine($"{selected.Count} utterances, contexts of the right names + {distractorCount} distractors ({report["types"]}), boost {boostValue}");
                foreach ((string name, string key) in new[] { ("with entities", "with_entities"), ("without entities", "without_entities") })
                {
                    var p = (Dictionary<string, object?>)report[key]!;
                    static string Pct(object? value) => value is null ? "n/a" : $"{value}%";
                    console.Output.WriteLine($"  {name,-16} {p["utterances"]} utterances, {p["entities"]} entities: entity errors {Pct(p["entity_error_rate"])} -> {Pct(p["entity_error_rate_biased"])} biased; WER {Pct(p["wer"])} -> {Pct(p["wer_biased"])} biased");
                }
            }

            return 0;
        });
        return command;
    }

    private sealed record Entity(string Text, int StartWord, int EndWord);

    private sealed record Utterance(string Id, string Audio, string Text, List<Entity> Entities);

    /// <summary>Percentage of entities not recognised exactly (null without entities).</summary>
    private static double? EntityErrorRate(IReadOnlyList<Utterance> utterances, List<int> indices, string[] hypotheses)
    {
        int total = 0, wrong = 0;
        foreach (int i in indices)
        {
            string[] reference = Words(utterances[i].Text);
            IReadOnlyList<AlignedWord> alignment = WordAligner.Align(reference, Words(hypotheses[i]));
            foreach (Entity e in utterances[i].Entities)
            {
                total++;
                if (!Recognised(alignment, e.StartWord, e.EndWord))
                {
                    wrong++;
                }
            }
        }

        return total == 0 ? null : Math.Round(100.0 * wrong / total, 2);
    }

    /// <summary>True when reference words [start, end) all align as correct and no insertion falls between them.</summary>
    public static bool Recognised(IReadOnlyList<AlignedWord> alignment, int start, int end)
    {
        int referenceIndex = 0;
        foreach (AlignedWord a in alignment)
        {
            bool inside = referenceIndex >= start && referenceIndex < end;
            if (a.Reference is null)
            {
                if (referenceIndex > start && referenceIndex < end)
                {
                    return false; // an insertion inside the entity
                }

                continue;
            }

            if (inside && a.Operation != EditOperation.Correct)
            {
                return false;
            }

            referenceIndex++;
        }

        return referenceIndex >= end;
    }

    private static double? Wer(IReadOnlyList<Utterance> utterances, List<int> indices, string[] hypotheses) =>
        indices.Count == 0 ? null : WerScorer.Score(indices.Select(i => ScoringPair.FromText(utterances[i].Id, "all", utterances[i].Text, hypotheses[i]))).Totals.WerPercent is { } w ? Math.Round(w, 2) : null;

    private static string[] Words(string text) => text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static List<Utterance> Read(string path, string? split, HashSet<string> types) => ManifestLines.Read(path, split, r =>
    {
        string Field(string name) => r.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"no \"{name}\" string.");
        var entities = new List<Entity>();
        if (r.TryGetProperty("entities", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement e in list.EnumerateArray())
            {
                if (e.TryGetProperty("type", out JsonElement t) && types.Contains(t.GetString() ?? ""))
                {
                    entities.Add(new Entity(e.GetProperty("text").GetString()!.ToUpperInvariant(), e.GetProperty("start_word").GetInt32(), e.GetProperty("end_word").GetInt32()));
                }
            }
        }

        return new Utterance(Field("id"), Field("audio"), Field("text"), entities);
    });
}
