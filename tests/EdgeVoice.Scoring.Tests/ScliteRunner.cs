using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVoice.Scoring.Tests;

/// <summary>
/// Runs NIST sclite (Debian package <c>sctk</c>) on two trn files and parses its reports:
/// <c>sclite -r REF trn -h HYP trn -i rm -o sum rsum pralign stdout -f 0 -l 100000</c>
/// (<c>-l</c> widens the alignment lines, which sclite otherwise cuts at 1000 characters).
/// </summary>
internal static partial class ScliteRunner
{
    /// <summary>Environment variable that may point at the sclite executable.</summary>
    public const string PathVariable = "EDGEVOICE_SCLITE";

    private static readonly string[] KnownLocations = ["/usr/lib/sctk/bin/sclite", "/usr/bin/sclite", "/usr/local/bin/sclite"];

    /// <summary>The sclite executable; throws with the install command when there is none.</summary>
    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException(
                    $"{PathVariable} is '{fromEnvironment}', which does not exist; install sclite with `apt-get install sctk` " +
                    $"or point {PathVariable} at the sclite executable.");
        }

        foreach (var candidate in KnownLocations)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "sclite");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "NIST sclite was not found (looked at " + string.Join(", ", KnownLocations) + " and PATH). " +
            "The sclite comparison test needs it: install it with `apt-get install sctk` (CI installs it), " +
            $"or set {PathVariable} to the sclite executable.");
    }

    public static ScliteResult Run(string referencePath, string hypothesisPath)
    {
        var sclite = Locate();
        string[] arguments = ["-r", referencePath, "trn", "-h", hypothesisPath, "trn", "-i", "rm", "-o", "sum", "rsum", "pralign", "stdout", "-f", "0", "-l", "100000"];
        var start = new ProcessStartInfo(sclite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = sclite + " " + string.Join(' ', arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var error = errorTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{commandLine}' exited with {process.ExitCode}:\n{error}\n{output}");
        }

        return Parse(output, commandLine);
    }

    internal static ScliteResult Parse(string output, string commandLine)
    {
        var speakers = new Dictionary<string, ScliteCounts>(StringComparer.Ordinal);
        ScliteCounts? totals = null;
        foreach (Match match in RawRow().Matches(output))
        {
            var numbers = Enumerable.Range(2, 8).Select(g => int.Parse(match.Groups[g].Value, CultureInfo.InvariantCulture)).ToArray();
            var counts = new ScliteCounts(numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6], numbers[7]);
            var name = match.Groups[1].Value;
            if (name == "Sum")
            {
                totals = counts;
            }
            else
            {
                speakers.Add(name, counts);
            }
        }

        var percentRow = PercentTotalRow().Match(output);
        if (totals is null || !percentRow.Success)
        {
            throw new InvalidOperationException($"Could not find the summary rows in the output of '{commandLine}':\n{output}");
        }

        var utterances = new Dictionary<string, ScliteUtterance>(StringComparer.Ordinal);
        foreach (Match match in AlignmentBlock().Matches(output))
        {
            var id = match.Groups["id"].Value;
            var reference = Columns(match.Groups["ref"].Value);
            var hypothesis = Columns(match.Groups["hyp"].Value);
            if (reference.Count != hypothesis.Count)
            {
                throw new InvalidOperationException($"sclite alignment of '{id}' has {reference.Count} REF and {hypothesis.Count} HYP columns.");
            }

            utterances.Add(id, new ScliteUtterance(
                id,
                int.Parse(match.Groups["c"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["i"].Value, CultureInfo.InvariantCulture),
                reference,
                hypothesis));
        }

        return new ScliteResult(totals, percentRow.Groups[1].Value, speakers, utterances, commandLine);
    }

    private static List<string?> Columns(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.Trim('*').Length == 0 ? null : token.ToLowerInvariant())
            .ToList();

    // | spk1   |    2      7 |    2      1      4      0      5      2 |
    [GeneratedRegex(@"^\s*\|\s*(\S+)\s*\|\s*(\d+)\s+(\d+)\s*\|\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex RawRow();

    // | Sum/Avg|    5     13 | 46.2   15.4   38.5   23.1   76.9  100.0 |   -> the Err column
    [GeneratedRegex(@"^\s*\|\s*Sum/Avg\s*\|\s*\d+\s+\d+\s*\|\s*\S+\s+\S+\s+\S+\s+\S+\s+(\S+)\s+\S+\s*\|", RegexOptions.Multiline)]
    private static partial Regex PercentTotalRow();

    // id: (s-2) / Scores: (#C #S #D #I) 0 0 1 0 / REF:  A / HYP:  *   (no REF/HYP lines when both sides are empty)
    [GeneratedRegex(@"^id: \((?<id>[^)]*)\)\r?\nScores: \(#C #S #D #I\) (?<c>\d+) (?<s>\d+) (?<d>\d+) (?<i>\d+)\r?\n(?:REF:(?<ref>[^\n]*)\nHYP:(?<hyp>[^\n]*)\n)?", RegexOptions.Multiline)]
    private static partial Regex AlignmentBlock();
}
