using System.Text;

namespace EdgeVoice.Cli.Tests;

/// <summary>Runs the CLI in-process with captured standard output and error.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args) => InvokeWithInput(Array.Empty<byte>(), args);

    public static CliRun InvokeWithInput(byte[] standardInput, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, () => new MemoryStream(standardInput, writable: false), errorIsTerminal: false);
        var code = EdgeVoiceCli.Run(args, console);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The repository root: the nearest folder above the test assembly holding EdgeVoice.slnx.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeVoice.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EdgeVoice.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string Sample(string name) => Path.Combine(RepositoryRoot(), "samples", name);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
