namespace EdgeVoice.Cli.Tests;

public sealed class HelpTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var command in EdgeVoiceCli.CreateRootCommand(CliConsole.FromProcess()).Subcommands)
        {
            data.Add(command.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandHasHelp(string command)
    {
        var run = CliRun.Invoke(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.Contains(command, run.Output);
    }

    [Fact]
    public void UnknownCommandIsAUsageError()
    {
        var run = CliRun.Invoke("no-such-command");

        Assert.Equal(CliErrors.UsageError, run.ExitCode);
        Assert.Contains("no-such-command", run.Error);
    }
}
