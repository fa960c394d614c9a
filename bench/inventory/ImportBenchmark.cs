using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Certitude.Bench.Inventory;

/// <summary>
/// Times the real command end to end, as a user runs it: <c>certitude import FOLDER --data DIR [--database CS]</c>
/// in its own process (start-up, migrations, reading the files, decoding, writing, linking chains).
/// </summary>
internal static partial class ImportBenchmark
{
    public static ImportResult Run(string label, string certitudeDll, Corpus corpus, string dataDirectory, string? database)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[certitudeDll, "import", corpus.FilesDirectory, "--data", dataDirectory])
        {
            start.ArgumentList.Add(argument);
        }

        if (database is not null)
        {
            start.ArgumentList.Add("--database");
            start.ArgumentList.Add(database);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start certitude");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [{label}] {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        // An exited process's CPU time cannot be read on Linux (its /proc entry is gone): sample it while it runs.
        var cpu = TimeSpan.Zero;
        using var sampler = new Timer(_ =>
        {
            try
            {
                cpu = process.TotalProcessorTime;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        sampler.Dispose();
        var cpuSeconds = cpu.TotalSeconds;

        var summary = SummaryLine().Match(output);
        if (process.ExitCode != 0 || !summary.Success)
        {
            throw new InvalidOperationException($"certitude import ({label}) exited with {process.ExitCode}: {output.Trim()}");
        }

        var certificates = long.Parse(summary.Groups["certificates"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var added = long.Parse(summary.Groups["new"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Console.Error.WriteLine($"  [{label}] {output.Trim()} in {seconds:F1} s");
        return new ImportResult(label, certificates, added, seconds, cpuSeconds);
    }

    [GeneratedRegex(@"(?<files>\d+) files: (?<certificates>\d+) certificates \((?<new>\d+) new\), (?<failed>\d+) files failed")]
    private static partial Regex SummaryLine();
}
