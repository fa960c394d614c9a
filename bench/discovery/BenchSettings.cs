namespace Certitude.Bench.Discovery;

/// <param name="Certitude">The built <c>certitude.dll</c> (run with <c>dotnet</c>), or an executable taking the same arguments.</param>
/// <param name="WorkDirectory">Scratch space for this run: certificates, nginx's configuration and logs, scan outputs (emptied first).</param>
/// <param name="Runs">Timed runs of each scanner on each target; the table shows the median.</param>
/// <param name="Concurrency">Passed to <c>certitude scan --concurrency</c> when set; otherwise the command's default.</param>
/// <param name="WrkSeconds">Length of each wrk run against nginx.</param>
/// <param name="WrkConnections">wrk connections (two threads).</param>
/// <param name="NmapSweepTimeout">nmap's closed /16 sweep is stopped after this many seconds and reported as not finished.</param>
/// <param name="MaxLoad">Before timing anything, wait (at most <paramref name="LoadWaitSeconds"/>) for the 1-minute load average to fall to this.</param>
/// <param name="LoadWaitSeconds">How long to wait for <paramref name="MaxLoad"/>; 0 starts at once.</param>
internal sealed record BenchSettings(string Certitude, string WorkDirectory, int Runs, int? Concurrency, int WrkSeconds, int WrkConnections,
    int NmapSweepTimeout, double MaxLoad, int LoadWaitSeconds)
{
    private const string Usage =
        "usage: certitude-bench-discovery --certitude PATH/certitude.dll [--work DIR] [--runs N] [--concurrency N] [--wrk-seconds N]"
        + " [--wrk-connections N] [--nmap-sweep-timeout SECONDS] [--max-load 1.5] [--load-wait SECONDS]";

    private static readonly string[] Known =
        ["runs", "concurrency", "wrk-seconds", "wrk-connections", "nmap-sweep-timeout", "max-load", "load-wait"];

    public static BenchSettings Parse(string[] args)
    {
        var arguments = BenchArguments.Parse(args, Known, Usage);
        var settings = new BenchSettings(
            arguments.Certitude,
            arguments.WorkDirectory,
            arguments.Number("runs", 5),
            arguments.Has("concurrency") ? arguments.Number("concurrency", 0) : null,
            arguments.Number("wrk-seconds", 5),
            arguments.Number("wrk-connections", 32),
            arguments.Number("nmap-sweep-timeout", 120),
            arguments.Decimal("max-load", 1.5),
            arguments.Number("load-wait", 300));
        if (settings.Runs < 1 || settings.Concurrency is < 1 || settings.WrkSeconds < 1 || settings.WrkConnections < 1)
        {
            throw new ArgumentException($"--runs, --concurrency, --wrk-seconds and --wrk-connections must be at least 1\n{Usage}");
        }

        return settings;
    }
}
