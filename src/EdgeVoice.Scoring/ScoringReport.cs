using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Scoring;

/// <summary>The result of scoring: totals, per-speaker counts and every utterance's alignment.</summary>
public sealed class ScoringReport
{
    public ScoringReport(IReadOnlyList<UtteranceAlignment> utterances, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(options);

        Utterances = utterances.ToArray();
        Options = options;

        var totals = ErrorCounts.Zero;
        var bySpeaker = new Dictionary<string, ErrorCounts>(StringComparer.Ordinal);
        var speakerOrder = new List<string>();
        foreach (var utterance in Utterances)
        {
            totals += utterance.Counts;
            if (bySpeaker.TryGetValue(utterance.Speaker, out var counts))
            {
                bySpeaker[utterance.Speaker] = counts + utterance.Counts;
            }
            else
            {
                bySpeaker.Add(utterance.Speaker, utterance.Counts);
                speakerOrder.Add(utterance.Speaker);
            }
        }

        Totals = totals;
        Speakers = speakerOrder.Select(s => new SpeakerScore(s, bySpeaker[s])).ToArray();
    }

    /// <summary>Counts over all scored utterances.</summary>
    public ErrorCounts Totals { get; }

    /// <summary>Counts per speaker, in order of each speaker's first utterance.</summary>
    public IReadOnlyList<SpeakerScore> Speakers { get; }

    /// <summary>Every scored utterance, in hypothesis order.</summary>
    public IReadOnlyList<UtteranceAlignment> Utterances { get; }

    public ScoringOptions Options { get; }

    /// <summary>The report as JSON; key names are stable (see docs/scoring.md).</summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            WriteCounts(json, Totals);
            json.WriteBoolean("case_sensitive", Options.CaseSensitive);
            json.WriteStartObject("costs");
            json.WriteNumber("correct", ScliteCosts.Correct);
            json.WriteNumber("sub", ScliteCosts.Substitution);
            json.WriteNumber("del", ScliteCosts.Deletion);
            json.WriteNumber("ins", ScliteCosts.Insertion);
            json.WriteEndObject();

            json.WriteStartArray("per_speaker");
            foreach (var speaker in Speakers)
            {
                json.WriteStartObject();
                json.WriteString("speaker", speaker.Speaker);
                WriteCounts(json, speaker.Counts);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("alignments");
            foreach (var utterance in Utterances)
            {
                json.WriteStartObject();
                json.WriteString("id", utterance.Id);
                json.WriteString("speaker", utterance.Speaker);
                WriteCounts(json, utterance.Counts);
                json.WriteStartArray("ref");
                foreach (var step in utterance.Words)
                {
                    json.WriteStringValue(step.Reference);
                }

                json.WriteEndArray();
                json.WriteStartArray("hyp");
                foreach (var step in utterance.Words)
                {
                    json.WriteStringValue(step.Hypothesis);
                }

                json.WriteEndArray();
                json.WriteString("labels", string.Concat(utterance.Words.Select(w => w.Label)));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A human-readable report: totals, a per-speaker table, then each utterance's alignment.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine("EdgeVoice word error rate (sclite-compatible alignment: sub 4, del 3, ins 3)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Case-sensitive: {(Options.CaseSensitive ? "yes" : "no")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Overall: WER {FormatWer(Totals)} over {Totals.Words} reference words in {Totals.Utterances} utterances " +
            $"({Totals.Correct} correct, {Totals.Substitutions} sub, {Totals.Deletions} del, {Totals.Insertions} ins, " +
            $"{Totals.UtterancesWithErrors} utterances with errors)");
        text.AppendLine();

        var nameWidth = Math.Max("speaker".Length, Speakers.Select(s => s.Speaker.Length).DefaultIfEmpty(0).Max());
        nameWidth = Math.Max(nameWidth, "all".Length);
        var header = $"{"speaker".PadRight(nameWidth)}  {"utts",6} {"words",7} {"corr",7} {"sub",6} {"del",6} {"ins",6} {"err",6} {"utt.err",7} {"WER",8}";
        text.AppendLine(header);
        text.AppendLine(new string('-', header.Length));
        foreach (var speaker in Speakers)
        {
            AppendRow(text, speaker.Speaker, speaker.Counts, nameWidth);
        }

        text.AppendLine(new string('-', header.Length));
        AppendRow(text, "all", Totals, nameWidth);

        if (Utterances.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Alignments (*** marks a missing word; C correct, S substitution, D deletion, I insertion)");
        }

        foreach (var utterance in Utterances)
        {
            var (reference, hypothesis, labels) = utterance.ToColumns();
            var counts = utterance.Counts;
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"[{utterance.Id}] speaker {utterance.Speaker}: C={counts.Correct} S={counts.Substitutions} " +
                $"D={counts.Deletions} I={counts.Insertions} WER {FormatWer(counts)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  ref  {reference}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  hyp  {hypothesis}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  op   {labels}");
        }

        return text.ToString();
    }

    public override string ToString() =>
        $"WER {FormatWer(Totals)} ({Totals.Errors} errors / {Totals.Words} words, {Totals.Utterances} utterances)";

    private static void AppendRow(StringBuilder text, string name, ErrorCounts counts, int nameWidth) =>
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{name.PadRight(nameWidth)}  {counts.Utterances,6} {counts.Words,7} {counts.Correct,7} {counts.Substitutions,6} " +
            $"{counts.Deletions,6} {counts.Insertions,6} {counts.Errors,6} {counts.UtterancesWithErrors,7} {FormatWer(counts),8}");

    private static string FormatWer(ErrorCounts counts) =>
        counts.WerPercent is { } wer ? wer.ToString("F2", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static void WriteCounts(Utf8JsonWriter json, ErrorCounts counts)
    {
        json.WriteNumber("utterances", counts.Utterances);
        json.WriteNumber("utterances_with_errors", counts.UtterancesWithErrors);
        json.WriteNumber("words", counts.Words);
        json.WriteNumber("corr", counts.Correct);
        json.WriteNumber("sub", counts.Substitutions);
        json.WriteNumber("del", counts.Deletions);
        json.WriteNumber("ins", counts.Insertions);
        json.WriteNumber("errors", counts.Errors);
        if (counts.WerPercent is { } wer)
        {
            json.WriteNumber("wer", wer);
        }
        else
        {
            json.WriteNull("wer");
        }
    }
}
