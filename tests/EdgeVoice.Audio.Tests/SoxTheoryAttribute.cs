namespace EdgeVoice.Audio.Tests;

/// <summary>A theory that is skipped, with a message saying why, when the <c>sox</c> executable is not on PATH.</summary>
public sealed class SoxTheoryAttribute : TheoryAttribute
{
    public SoxTheoryAttribute()
    {
        if (SoxPath is null)
        {
            Skip = "sox is not installed (apt-get install -y sox); CI installs it, so this comparison runs there.";
        }
    }

    /// <summary>Full path of the sox executable, or null.</summary>
    public static string? SoxPath { get; } = Find();

    private static string? Find()
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "sox.exe" : "sox"))
            .FirstOrDefault(File.Exists);
    }
}
