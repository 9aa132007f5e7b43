using System.CommandLine;
using EdgeVoice.Scoring;

namespace EdgeVoice.Cli;

/// <summary>`edgevoice score`: word error rate of a hypothesis trn file against a reference, as NIST sclite computes it.</summary>
public static class ScoreCommand
{
    public static Command Create(CliConsole console)
    {
        var reference = new Option<string>("--ref")
        {
            Description = "Reference transcripts in sclite trn format: 'words (utterance-id)' per line.",
            Required = true,
        };
        var hypothesis = new Option<string>("--hyp")
        {
            Description = "Hypothesis transcripts in sclite trn format, with the same utterance ids.",
            Required = true,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the report as JSON (totals, per speaker, per utterance alignment) instead of text.",
        };
        var caseSensitive = new Option<bool>("--case-sensitive")
        {
            Description = "Compare words case-sensitively (sclite's default without -i; EdgeVoice ignores case by default).",
        };

        var command = new Command("score", "Word error rate: alignment with sclite's costs (sub 4, ins 3, del 3), totals, per-speaker table.");
        command.Options.Add(reference);
        command.Options.Add(hypothesis);
        command.Options.Add(json);
        command.Options.Add(caseSensitive);
        command.SetAction(parsed =>
        {
            var options = new ScoringOptions { CaseSensitive = parsed.GetValue(caseSensitive) };
            var report = WerScorer.ScoreFiles(parsed.GetRequiredValue(reference), parsed.GetRequiredValue(hypothesis), options);
            console.Output.Write(parsed.GetValue(json) ? report.ToJson() : report.ToText());
            console.Output.WriteLine();
            return 0;
        });
        return command;
    }
}
