using System.Globalization;

namespace Certitude.Bench.Discovery;

/// <summary>The whole benchmark in order: fixture, warm-up, start-up cost, the /22 comparison, wrk, the /16 sweep, the in-process profile, the table.</summary>
internal static class DiscoveryBenchmark
{
    public const string ClosedAddress = "127.1.0.1";
    public const string ClosedNetwork = "127.1.0.0/16";
    public const int ClosedAddresses = 65_536;

    private static readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        var versions = new List<(string, string)>
        {
            ("nmap", await TimedProcess.VersionAsync("nmap", "--version")),
            ("nginx", await TimedProcess.VersionAsync("/usr/sbin/nginx", "-v")),
            ("wrk", await TimedProcess.VersionAsync("wrk", "-v")),
            ("openssl", await TimedProcess.VersionAsync("openssl", "version")),
        };

        var certitude = new CertitudeScanner(settings);
        var nmap = new NmapScanner();
        await using var fixture = await NginxFixture.StartAsync(settings.WorkDirectory, cancellationToken);
        var waited = await WaitForQuietMachineAsync(settings, cancellationToken);
        var loadAtTiming = MachineInfo.LoadAverage();

        Console.Error.WriteLine("Warm-up: one untimed scan of the /22 by each");
        foreach (var scanner in new IScanner[] { certitude, nmap })
        {
            await SampleAsync(scanner, NginxFixture.Network, fixture, settings, ScanTimeout, cancellationToken);
        }

        Console.Error.WriteLine($"Start-up cost: each scanner on one closed address ({ClosedAddress}), {settings.Runs} runs");
        var startUp = new Dictionary<string, ScanMeasurement>(StringComparer.Ordinal);
        foreach (var scanner in new IScanner[] { certitude, nmap })
        {
            startUp[scanner.Name] = await MeasureAsync(scanner, ClosedAddress, 1, settings.Runs, fixture, settings, ScanTimeout, cancellationToken);
        }

        Console.Error.WriteLine($"Scanning {NginxFixture.Network}: {settings.Runs} rounds, the scanners taking turns to go first");
        var samples = new Dictionary<string, List<ScanSample>>(StringComparer.Ordinal) { [certitude.Name] = [], [nmap.Name] = [] };
        for (var round = 0; round < settings.Runs; round++)
        {
            foreach (var scanner in round % 2 == 0 ? new IScanner[] { certitude, nmap } : [nmap, certitude])
            {
                var sample = await SampleAsync(scanner, NginxFixture.Network, fixture, settings, ScanTimeout, cancellationToken);
                samples[scanner.Name].Add(sample);
                Console.Error.WriteLine(Format($"  {scanner.Name,-9} {sample.Seconds,7:F3} s  {NginxFixture.Addresses / sample.Seconds,8:N0} endpoints/s  {sample.Findings?.Certificates.Count ?? 0} certificates"));
            }
        }

        var scans = new IScanner[] { certitude, nmap }
            .Select(s => new ScanMeasurement(s.Name, s.CommandLine(NginxFixture.Network), NginxFixture.Addresses, samples[s.Name])).ToList();
        var loadAfterScans = MachineInfo.LoadAverage();

        var ceilings = new List<WrkResult>
        {
            await WrkCeiling.MeasureAsync(fixture, 1, settings, cancellationToken),
            await WrkCeiling.MeasureAsync(fixture, 0, settings, cancellationToken),
        };

        Console.Error.WriteLine($"Closed-port sweep of {ClosedNetwork}: certitude {settings.Runs} runs, nmap one (at most {settings.NmapSweepTimeout} s)");
        var sweeps = new List<ScanMeasurement>
        {
            await MeasureAsync(certitude, ClosedNetwork, ClosedAddresses, settings.Runs, fixture, settings, SweepTimeout, cancellationToken),
            await MeasureAsync(nmap, ClosedNetwork, ClosedAddresses, 1, fixture, settings, TimeSpan.FromSeconds(settings.NmapSweepTimeout), cancellationToken),
        };

        var engine = await EngineProfile.MeasureAsync(settings.Runs, cancellationToken);
        var machine = MachineInfo.Describe(settings.WorkDirectory)
            .Append(("load", $"{loadAtStart} at the start; {loadAtTiming} when timing began{waited}; {loadAfterScans} after the /22 scans; "
                + $"{MachineInfo.LoadAverage()} at the end (1/5/15 min)"))
            .ToList();
        Report.Print(Console.Out, new ReportData(fixture, scans, startUp, ceilings, sweeps, engine, machine, versions, settings));
        return 0;
    }

    private static async Task<ScanMeasurement> MeasureAsync(IScanner scanner, string target, int addresses, int runs, NginxFixture fixture,
        BenchSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var samples = new List<ScanSample>();
        for (var i = 0; i < runs; i++)
        {
            var sample = await SampleAsync(scanner, target, fixture, settings, timeout, cancellationToken);
            samples.Add(sample);
            Console.Error.WriteLine(Format($"  {scanner.Name,-9} {target,-14} {sample.Seconds,7:F3} s{(sample.Findings is null ? " (stopped: time limit)" : "")}"));
            if (sample.Findings is null)
            {
                break;
            }
        }

        return new ScanMeasurement(scanner.Name, scanner.CommandLine(target), addresses, samples);
    }

    private static async Task<ScanSample> SampleAsync(IScanner scanner, string target, NginxFixture fixture, BenchSettings settings,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var nginxCpu = fixture.CpuSeconds();
        var (run, findings) = await scanner.ScanAsync(target, settings.WorkDirectory, timeout, cancellationToken);
        return new ScanSample(run.Seconds, run.CpuSeconds, fixture.CpuSeconds() - nginxCpu, findings);
    }

    /// <summary>Waits (bounded) for the 1-minute load average to come down, as other work shares this machine; says how long it waited.</summary>
    private static async Task<string> WaitForQuietMachineAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (OneMinuteLoad() > settings.MaxLoad && DateTime.UtcNow - started < TimeSpan.FromSeconds(settings.LoadWaitSeconds))
        {
            Console.Error.WriteLine(Format($"Load average {OneMinuteLoad():F2} > {settings.MaxLoad:F2}: waiting (at most {settings.LoadWaitSeconds} s in all)"));
            await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
        }

        var waited = (DateTime.UtcNow - started).TotalSeconds;
        return waited < 1 ? "" : Format($" (after waiting {waited:F0} s for <= {settings.MaxLoad:F1})");
    }

    private static double OneMinuteLoad() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
