using System.CommandLine;

namespace EdgeVoice.Cli;

/// <summary>The `edgevoice` command line: builds the command tree, runs one command, maps errors to exit codes.</summary>
public static class EdgeVoiceCli
{
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("EdgeVoice: on-device speech processing for .NET.");
        root.Subcommands.Add(FeaturesCommand.Create(console));
        root.Subcommands.Add(ScoreCommand.Create(console));
        root.Subcommands.Add(TranscribeCommand.Create(console));
        root.Subcommands.Add(StreamCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(EndpointEvalCommand.Create(console));
        root.Subcommands.Add(BiasEvalCommand.Create(console));
        root.Subcommands.Add(TuneLmCommand.Create(console));
        root.Subcommands.Add(CompressCommand.Create(console));
        root.Subcommands.Add(InfoCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        return root;
    }

    /// <summary>Runs the command line and returns the process exit code. Never throws.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        try
        {
            var root = CreateRootCommand(console);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var parseError in parsed.Errors)
                {
                    console.Error.WriteLine($"edgevoice: error: {parseError.Message}");
                }

                console.Error.WriteLine("Run 'edgevoice --help' (or '<command> --help') for usage.");
                return CliErrors.UsageError;
            }

            var configuration = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = console.Output,
                Error = console.Error,
            };
            return parsed.Invoke(configuration);
        }
        catch (Exception exception)
        {
            return CliErrors.Report(exception, console.Error);
        }
        finally
        {
            console.Output.Flush();
            console.Error.Flush();
        }
    }
}
