using System.Diagnostics;

namespace EdgeVoice.Vorbis.Tests;

/// <summary>Where the test data lives, and sox as the reference decoder when it is installed.</summary>
internal static class TestFiles
{
    /// <summary>The folder of committed test files, copied next to the test assembly.</summary>
    public static string DataDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Data");

    /// <summary>The repository root: the first folder above the test assembly that holds EdgeVoice.slnx.</summary>
    public static string? RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The shared real-speech folder (../shared/data/real from the repository root), or null if absent.</summary>
    public static string? RealDataDirectory
    {
        get
        {
            if (RepositoryRoot is null)
            {
                return null;
            }

            string path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "real"));
            return File.Exists(Path.Combine(path, "manifest.jsonl")) ? path : null;
        }
    }

    /// <summary>Every committed .ogg test file.</summary>
    public static IEnumerable<string> OggFiles => Directory.EnumerateFiles(DataDirectory, "*.ogg").Order(StringComparer.Ordinal);

    /// <summary>True when sox can be started.</summary>
    public static bool SoxAvailable { get; } = ProbeSox();

    /// <summary>
    /// Decodes <paramref name="oggPath"/> with sox (libvorbis, 16-bit output) and returns interleaved samples
    /// scaled to [-1, 1), as sox writes them when asked for float output.
    /// </summary>
    public static float[] DecodeWithSox(string oggPath)
    {
        var start = new ProcessStartInfo("sox")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { oggPath, "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("sox did not start");
        using var buffer = new MemoryStream();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sox failed on {oggPath}: {errors.Result}");
        }

        return Pcm16.ToFloat(buffer.ToArray());
    }

    private static bool ProbeSox()
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo("sox", "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
