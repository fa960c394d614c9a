using System.Globalization;
using System.Text.RegularExpressions;

namespace Certitude.Bench.Pki;

/// <summary>Runs wrk (Debian's package) with ocsp.lua against a responder URL.</summary>
internal static partial class Wrk
{
    public static async Task<string> VersionAsync()
    {
        // wrk prints its version in the usage text and exits 1 for "-v".
        var start = new System.Diagnostics.ProcessStartInfo("wrk", "-v") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("wrk is not installed");
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Split('\n')[0].Trim();
    }

    /// <summary>A short untimed run first when <paramref name="warmUp"/> (connections, JIT, caches), then the timed one.</summary>
    public static async Task<WrkResult> RunAsync(string label, string url, string requestsFile, bool newConnectionPerRequest, BenchSettings settings,
        ExternalProcess responder, bool warmUp, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"wrk: {label}");
        if (warmUp)
        {
            await RunOnceAsync(url, requestsFile, newConnectionPerRequest, settings, 2, cancellationToken);
        }

        var cpu = responder.CpuSeconds();
        var output = await RunOnceAsync(url, requestsFile, newConnectionPerRequest, settings, settings.Seconds, cancellationToken);
        cpu = responder.CpuSeconds() - cpu;
        var match = ResultLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"no result line in wrk's output:\n{output}");
        }

        long Field(string name) => long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        var errors = Field("status") + Field("connect") + Field("read") + Field("write") + Field("timeout");
        var result = new WrkResult(label, Field("requests"), Field("duration") / 1e6, errors, Field("p50") / 1e3, Field("p99") / 1e3, cpu);
        Console.Error.WriteLine($"  {result.Rate:N0} responses/s, {errors} errors, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms");
        return result;
    }

    private static Task<string> RunOnceAsync(string url, string requestsFile, bool close, BenchSettings settings, int seconds, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "ocsp.lua");
        List<string> arguments =
        [
            "-t", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds.ToString(CultureInfo.InvariantCulture)}s",
            "--latency", "-s", script, url, "--", requestsFile,
        ];
        if (close)
        {
            arguments.Add("close");
        }

        return ExternalProcess.RunAsync("wrk", arguments, cancellationToken: cancellationToken);
    }

    [GeneratedRegex(@"wrk-result requests=(?<requests>\d+) duration_us=(?<duration>\d+) status=(?<status>\d+) connect=(?<connect>\d+) read=(?<read>\d+) write=(?<write>\d+) timeout=(?<timeout>\d+) p50_us=(?<p50>\d+) p99_us=(?<p99>\d+)")]
    private static partial Regex ResultLine();
}
