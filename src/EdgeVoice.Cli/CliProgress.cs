using Spectre.Console;

namespace EdgeVoice.Cli;

/// <summary>
/// Runs work that may take more than a second behind a Spectre.Console progress bar drawn on standard
/// error, and only when standard error is a terminal: piped output stays clean.
/// </summary>
public static class CliProgress
{
    public static T Run<T>(CliConsole console, string description, Func<IProgress<double>, T> work)
    {
        if (!console.ErrorIsTerminal)
        {
            return work(new Progress<double>());
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        T result = default!;
        ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1.0);
                result = work(new SynchronousProgress(fraction => task.Value = Math.Clamp(fraction, 0, 1)));
                task.Value = 1.0;
            });
        return result;
    }

    /// <summary>Reports on the calling thread (System.Progress posts to the thread pool, which would lag).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
