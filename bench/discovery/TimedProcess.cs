using System.Diagnostics;
using System.Globalization;

namespace Certitude.Bench.Discovery;

/// <summary>
/// Runs a scanner to its end and times it as a user would see it: wall time from start to exit (start-up included),
/// and its CPU time, from this process's reaped-children counters in /proc/self/stat.
/// </summary>
internal static class TimedProcess
{
    public static async Task<TimedRun> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var cpuBefore = ChildrenCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var run = new TimedRun(process.ExitCode, seconds, ChildrenCpuSeconds() - cpuBefore, await output, await error, timedOut);
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
        {
            Console.Error.WriteLine($"  [{Path.GetFileName(file)}] exit {run.ExitCode} in {run.Seconds:F3} s\n{run.Error.TrimEnd()}");
        }

        return run;
    }

    /// <summary>The first line a program prints (on either stream) for its version option, whatever its exit code.</summary>
    public static async Task<string> VersionAsync(string file, params string[] arguments)
    {
        var run = await RunAsync(file, arguments, TimeSpan.FromSeconds(30), CancellationToken.None);
        return (run.Output + run.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
    }

    /// <summary>cutime + cstime of this process: CPU seconds of the children it has waited for (Process reaps each one).</summary>
    private static double ChildrenCpuSeconds()
    {
        var text = File.ReadAllText("/proc/self/stat");
        // After the command name's closing bracket: state(3) ... utime(14) stime(15) cutime(16) cstime(17).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }
}
