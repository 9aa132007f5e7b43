using System.Text.Json;

namespace EdgeVoice.Cli.Tests;

public sealed class EndpointEvalCommandTests
{
    [Fact]
    public void Reports_latency_and_premature_rates_per_end_pointer()
    {
        using var temp = new TempDirectory();
        File.Copy(CliRun.Sample("kitchen-lights.wav"), temp.File("a.wav"));
        File.WriteAllLines(temp.File("manifest.jsonl"),
        [
            "{\"id\": \"u1\", \"audio\": \"a.wav\", \"speech_start\": 0.2, \"speech_end\": 1.5, \"split\": \"test\"}",
            "{\"id\": \"u2\", \"audio\": \"a.wav\", \"speech_start\": 0.2, \"speech_end\": 1.5, \"split\": \"test\"}",
            "{\"id\": \"u3\", \"audio\": \"a.wav\", \"split\": \"test\"}",
        ]);
        var run = CliRun.Invoke("endpoint-eval", temp.File("manifest.jsonl"), "--pause-rate", "1", "--json", "--silence-energy-db", "-45");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(3, json.RootElement.GetProperty("utterances").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("sessions").GetInt32()); // joined into one stream (4 per session)
        Assert.Equal(1, json.RootElement.GetProperty("speech_end_estimated").GetInt32()); // u3 has no speech_end
        foreach (string name in new[] { "final", "speculative" })
        {
            JsonElement summary = json.RootElement.GetProperty(name);
            foreach (string key in new[] { "latency_median_ms", "latency_p90_ms", "premature_percent", "missed" })
            {
                Assert.True(summary.TryGetProperty(key, out _), $"{name}.{key}");
            }
        }

        // --outcomes: one line per utterance, in manifest order, whose latencies are the ones the summary is made of.
        var listed = CliRun.Invoke("endpoint-eval", temp.File("manifest.jsonl"), "--pause-rate", "1", "--json", "--silence-energy-db", "-45", "--outcomes", temp.File("o.tsv"));
        Assert.True(listed.ExitCode == 0, listed.Error);
        string[][] rows = File.ReadAllLines(temp.File("o.tsv")).Select(l => l.Split('\t')).ToArray();
        Assert.Equal(["u1", "u2", "u3"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(7, r.Length));
        double[] finals = rows.Where(r => r[2] != "none").Select(r => double.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double premature = json.RootElement.GetProperty("final").GetProperty("premature_percent").GetDouble();
        Assert.Equal(premature, Math.Round(100.0 * finals.Count(l => l < 0) / rows.Length, 2));
        Assert.Contains(rows, r => r[5].Contains("KITCHEN", StringComparison.Ordinal));

        var text = CliRun.Invoke("endpoint-eval", temp.File("manifest.jsonl"), "--final-silence", "0.6", "--speculative-silence", "0.4");
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("rule 2 0.6 s", text.Output);
        var bad = CliRun.Invoke("endpoint-eval", temp.File("manifest.jsonl"), "--final-silence", "0.2");
        Assert.Equal(CliErrors.InputError, bad.ExitCode);
        Assert.Contains("must not fire later", bad.Error);
        var badGap = CliRun.Invoke("endpoint-eval", temp.File("manifest.jsonl"), "--gap-min", "2", "--gap-max", "1");
        Assert.Equal(CliErrors.UsageError, badGap.ExitCode);
        Assert.Contains("--gap-min", badGap.Error);
    }

    [Fact]
    public void The_energy_alignment_finds_the_end_of_a_tone_in_silence()
    {
        var samples = new float[16000];
        for (int i = 3200; i < 9600; i++)
        {
            samples[i] = 0.3f * MathF.Sin(i * 0.1f);
        }

        (double start, double end) = EndpointEvalCommand.EstimateSpeech(samples, 16000);
        Assert.Equal(0.2, start, 2);
        Assert.Equal(0.6, end, 2);
    }
}

public sealed class BiasEvalCommandTests
{
    private static bool Entity(string reference, string hypothesis, int start, int end) =>
        BiasEvalCommand.Recognised(
            EdgeVoice.Scoring.WordAligner.Align(reference.Split(' '), hypothesis.Split(' ', StringSplitOptions.RemoveEmptyEntries)), start, end);

    [Fact]
    public void An_entity_is_right_only_when_every_word_aligns_and_nothing_is_inserted_inside()
    {
        Assert.True(Entity("CALL ANNA SMITH NOW", "CALL ANNA SMITH NOW", 1, 3));
        Assert.True(Entity("CALL ANNA SMITH NOW", "PLEASE CALL ANNA SMITH", 1, 3)); // errors outside the span do not count
        Assert.False(Entity("CALL ANNA SMITH NOW", "CALL ANA SMITH NOW", 1, 3));
        Assert.False(Entity("CALL ANNA SMITH NOW", "CALL ANNA NOW", 1, 3));
        Assert.False(Entity("CALL ANNA SMITH NOW", "CALL ANNA B SMITH NOW", 1, 3));
    }

    [Fact]
    public void Reports_entity_errors_with_and_without_biasing()
    {
        using var temp = new TempDirectory();
        File.Copy(CliRun.Sample("kitchen-lights.wav"), temp.File("a.wav"));
        File.WriteAllLines(temp.File("manifest.jsonl"),
        [
            "{\"id\": \"u1\", \"audio\": \"a.wav\", \"text\": \"TURN ON THE KITCHEN LIGHTS\", \"entities\": [{\"type\": \"room\", \"text\": \"KITCHEN\", \"start_word\": 3, \"end_word\": 4}]}",
            "{\"id\": \"u2\", \"audio\": \"a.wav\", \"text\": \"TURN ON THE LIGHTS\", \"entities\": []}",
        ]);
        var run = CliRun.Invoke("bias-eval", temp.File("manifest.jsonl"), "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal(1, json.RootElement.GetProperty("with_entities").GetProperty("entities").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("without_entities").GetProperty("utterances").GetInt32());
        var bad = CliRun.Invoke("bias-eval", temp.File("manifest.jsonl"), "--every", "0");
        Assert.Equal(CliErrors.UsageError, bad.ExitCode);

        // Text report: a part without entities says n/a, not an empty percentage; --hypotheses writes one row per utterance.
        File.WriteAllLines(temp.File("plain.jsonl"), [File.ReadAllLines(temp.File("manifest.jsonl"))[1]]);
        var text = CliRun.Invoke("bias-eval", temp.File("plain.jsonl"), "--hypotheses", temp.File("hyp.tsv"));
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("entity errors n/a -> n/a biased", text.Output);
        Assert.DoesNotContain(" % ", text.Output);
        string[] rows = File.ReadAllLines(temp.File("hyp.tsv"));
        Assert.Single(rows);
        Assert.Equal(["u2", "TURN ON THE LIGHTS"], rows[0].Split('\t')[..2]);
        Assert.Equal(5, rows[0].Split('\t').Length);
        // Contexts are the command's own: --context is not one of its options.
        var context = CliRun.Invoke("bias-eval", temp.File("plain.jsonl"), "--context", temp.File("plain.jsonl"));
        Assert.Equal(CliErrors.UsageError, context.ExitCode);
    }
}
