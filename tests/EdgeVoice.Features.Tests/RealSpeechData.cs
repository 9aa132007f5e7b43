using System.Diagnostics;

namespace EdgeVoice.Features.Tests;

/// <summary>
/// Prerequisites of the optional real-speech parity test: the real-speech folder ../shared/data/real beside the
/// repository (resolved from the folder holding EdgeVoice.slnx) and /usr/bin/python3 with torchaudio.
/// </summary>
internal static class RealSpeechData
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> LazySkipReason = new(FindSkipReason);

    /// <summary>The real-speech folder (it may not exist).</summary>
    public static string Directory { get; } = Path.GetFullPath(Path.Combine(SolutionRoot(), "..", "shared", "data", "real"));

    /// <summary>Null when the test can run, otherwise what is missing and how to provide it.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    private static string? FindSkipReason()
    {
        if (!File.Exists(Path.Combine(Directory, "manifest.jsonl")))
        {
            return $"Real-speech parity skipped: {Directory}/manifest.jsonl not found (the real-speech folder belongs at ../shared/data/real beside the repository).";
        }

        if (!File.Exists(Python))
        {
            return $"Real-speech parity skipped: {Python} not found (install python3-torchaudio).";
        }

        var (exitCode, output) = Run(Python, ["-c", "import torchaudio"], TimeSpan.FromMinutes(2));
        return exitCode == 0 ? null : $"Real-speech parity skipped: {Python} cannot import torchaudio (install python3-torchaudio): {output.Trim()}";
    }

    /// <summary>Runs a process to completion; returns its exit code and its standard output and error.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{fileName} timed out after {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string SolutionRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Could not find EdgeVoice.slnx above {AppContext.BaseDirectory}.");
    }
}
