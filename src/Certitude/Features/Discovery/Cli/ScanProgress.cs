using Certitude.Tls.Scanning;
using Spectre.Console;

namespace Certitude.Features.Discovery.Cli;

/// <summary>Shows a scan's progress on stderr while it runs: a live bar on a terminal, plain lines otherwise.</summary>
internal static class ScanProgress
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(Task scan, ScanCounters counters, ulong total, bool liveBar)
    {
        string Describe() => FormattableString.Invariant(
            $"{counters.Done}/{total} endpoints, {counters.Certificates} certificates, {counters.Errors} errors");

        if (!liveBar)
        {
            // Spectre's bar prints nothing without a terminal (CI logs, pipes): plain lines, at most one per interval.
            while (await Task.WhenAny(scan, Task.Delay(LineInterval)) != scan)
            {
                Console.Error.WriteLine($"scanned {Describe()}");
            }

            await scan;
            return;
        }

        // Spectre decides "interactive" from stdout, so a bar on a terminal's stderr would stay blank whenever the
        // results go to a file or a pipe: this console is told that stderr is the terminal.
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        await stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(), maxValue: Math.Max(1, total));
                while (await Task.WhenAny(scan, Task.Delay(200)) != scan)
                {
                    task.Value = Math.Min(counters.Done, task.MaxValue);
                    task.Description = Describe();
                }

                task.Value = task.MaxValue;
                task.Description = Describe();
                await scan;
            });
    }
}
