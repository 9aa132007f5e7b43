namespace EdgeVoice.Lm.Tests;

/// <summary>Finds files of the repository (the folder holding EdgeVoice.slnx) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
            {
                return dir.FullName;
            }
        }

        // Built with --artifacts-path outside the tree: fall back to the working directory's ancestors.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
            {
                return dir.FullName;
            }
        }

        // Last resort: where this source file was compiled from.
        for (var dir = new FileInfo(SourceFile()).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeVoice.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Cannot find the repository root (EdgeVoice.slnx) above " + AppContext.BaseDirectory);
    }
}
