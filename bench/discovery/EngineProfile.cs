using System.Diagnostics;
using System.Net;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;
using Certitude.Tls.Validation;

namespace Certitude.Bench.Discovery;

/// <summary>
/// Where <c>certitude scan</c>'s time goes, measured in this process with the library the command uses: the scanner
/// engine alone (<see cref="TlsScanner"/> with the command's default options) on the /22 and on the closed /16, and
/// <see cref="ChainCheck"/> on every chain the engine read, one after another, as the command's output loop runs it.
/// One untimed engine run first (JIT).
/// </summary>
internal static class EngineProfile
{
    private static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(30);

    public static async Task<EngineProfileResult> MeasureAsync(int runs, CancellationToken cancellationToken)
    {
        var open = Endpoints(NginxFixture.Addresses, NginxFixture.Address);
        var closed = Endpoints(DiscoveryBenchmark.ClosedAddresses, i => $"127.1.{i / 256}.{i % 256}");
        Console.Error.WriteLine($"In process: the scanner engine on {NginxFixture.Network} and {DiscoveryBenchmark.ClosedNetwork}, ChainCheck on what it read; {runs} runs");
        await ScanAsync(open, cancellationToken);

        var probe = new List<(double Seconds, double Cpu)>();
        var check = new List<(double Seconds, double Cpu)>();
        var sweep = new List<(double Seconds, double Cpu)>();
        var certificates = 0;
        for (var run = 0; run < runs; run++)
        {
            var (seconds, cpu, results) = await ScanAsync(open, cancellationToken);
            probe.Add((seconds, cpu));
            var chains = results.Where(r => r.Tls is not null).Select(r => r.Tls!.Chain).ToList();
            certificates = chains.Count;
            check.Add(Time(() =>
            {
                foreach (var chain in chains)
                {
                    ChainCheck.Evaluate(chain, null, DateTimeOffset.UtcNow, ExpiringWindow);
                }
            }));
            (seconds, cpu, _) = await ScanAsync(closed, cancellationToken);
            sweep.Add((seconds, cpu));
        }

        static (double, double) Medians(List<(double Seconds, double Cpu)> samples) =>
            (ScanMeasurement.Median(samples.Select(s => s.Seconds)), ScanMeasurement.Median(samples.Select(s => s.Cpu)));
        return new EngineProfileResult(Medians(probe), Medians(check), Medians(sweep), certificates);
    }

    private static List<ScanEndpoint> Endpoints(int count, Func<int, string> address) =>
        Enumerable.Range(0, count).Select(i => new ScanEndpoint(IPAddress.Parse(address(i)), NginxFixture.Port, null, StartTlsProtocol.None)).ToList();

    private static async Task<(double Seconds, double Cpu, List<EndpointScanResult> Results)> ScanAsync(List<ScanEndpoint> endpoints,
        CancellationToken cancellationToken)
    {
        var results = new List<EndpointScanResult>();
        var cpu = ProcessCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        await foreach (var result in new TlsScanner(new ScannerOptions()).ScanAsync(endpoints, cancellationToken: cancellationToken))
        {
            results.Add(result);
        }

        return (stopwatch.Elapsed.TotalSeconds, ProcessCpuSeconds() - cpu, results);
    }

    private static (double Seconds, double Cpu) Time(Action action)
    {
        var cpu = ProcessCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        action();
        return (stopwatch.Elapsed.TotalSeconds, ProcessCpuSeconds() - cpu);
    }

    private static double ProcessCpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
