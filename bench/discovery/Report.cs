using System.Globalization;

namespace Certitude.Bench.Discovery;

/// <summary>The result table, plain text so that it reads the same in a terminal, a CI log and docs/benchmarks.md.</summary>
internal static class Report
{
    public const double RatioTarget = 4;
    public const double SweepTarget = 20_000;
    private const int Label = 62;

    public static void Print(TextWriter output, ReportData data)
    {
        output.WriteLine();
        output.WriteLine(Format($"Certitude discovery benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        foreach (var (name, value) in data.Machine.Concat(data.Versions))
        {
            output.WriteLine(Format($"{name,-9} {value}"));
        }

        var kinds = string.Join(", ", data.Fixture.Certificates.GroupBy(c => c.KeyType).Select(g => $"{g.Key} x{g.Count()}"));
        output.WriteLine(Format(
            $"fixture   nginx, 2 workers, {NginxFixture.Network} port {NginxFixture.Port}: {NginxFixture.Addresses:N0} endpoints; 4 leaves from one CA ({kinds}), address i serves leaf i mod 4; TLS 1.2 and 1.3, nginx's default ciphers, no session cache or tickets"));

        PrintScans(output, data);
        PrintCeiling(output, data);
        PrintSweeps(output, data);
        PrintProfile(output, data);
    }

    private static void PrintScans(TextWriter output, ReportData data)
    {
        var certitude = data.Scans.Single(s => s.Scanner == "certitude");
        var nmap = data.Scans.Single(s => s.Scanner == "nmap");
        output.WriteLine();
        output.WriteLine(Format(
            $"{$"TLS endpoints, {NginxFixture.Network} port {NginxFixture.Port} (median of {data.Settings.Runs} runs)",-Label} {"seconds",8} {"endpoints/s",11} {"ratio",6} {"open",5} {"certs",5} {"cpu s",6} {"nginx cpu s",11}"));
        foreach (var scan in data.Scans)
        {
            var last = scan.Samples[^1].Findings;
            output.WriteLine(Format(
                $"{scan.CommandLine,-Label} {scan.Seconds,8:F3} {scan.Rate,11:N0} {scan.Rate / nmap.Rate,5:F1}x {last?.OpenEndpoints ?? 0,5} {last?.Certificates.Count ?? 0,5} {scan.CpuSeconds,6:F2} {scan.NginxCpuSeconds,11:F2}"));
        }

        var expected = data.Fixture.Expected;
        var differences = new List<string>();
        for (var run = 0; run < data.Settings.Runs; run++)
        {
            var ours = certitude.Samples[run].Findings ?? ScanFindings.None;
            var theirs = nmap.Samples[run].Findings ?? ScanFindings.None;
            differences.AddRange(ScanFindings.Differences("certitude", ours.Certificates, "nmap", theirs.Certificates).Select(d => $"run {run + 1}: {d}"));
            differences.AddRange(ScanFindings.Differences("fixture", expected, "certitude", ours.Certificates).Select(d => $"run {run + 1}: {d}"));
            differences.AddRange(ScanFindings.Differences("fixture", expected, "nmap", theirs.Certificates).Select(d => $"run {run + 1}: {d}"));
        }

        var identical = differences.Count == 0;
        var ratio = certitude.Rate / nmap.Rate;
        output.WriteLine(identical
            ? Format($"certificates identical: yes (every run of both: {expected.Count:N0} address:port, each with the fixture's leaf by SHA-256)")
            : Format($"certificates identical: NO ({differences.Count} differences; first ones below)"));
        foreach (var difference in differences.Distinct().Take(10))
        {
            output.WriteLine($"  {difference}");
        }

        foreach (var failure in data.Scans.SelectMany(s => (s.Samples[^1].Findings ?? ScanFindings.None).Failures.Select(f => $"{s.Scanner} {f}")).Take(10))
        {
            output.WriteLine($"  no certificate: {failure}");
        }

        foreach (var scan in data.Scans.Where(s => s.Samples[^1].Findings?.Negotiated.Count > 0))
        {
            output.WriteLine($"{scan.Scanner} negotiated: "
                + string.Join(", ", scan.Samples[^1].Findings!.Negotiated.OrderByDescending(p => p.Value).Select(p => Format($"{p.Key} x{p.Value}"))));
        }

        output.WriteLine(Format(
            $"target >= {RatioTarget:F0}x nmap's endpoints/s with identical results: {(ratio >= RatioTarget && identical ? "met" : "NOT met")} ({ratio:F2}x, identical {(identical ? "yes" : "no")})"));

        var ourStart = data.StartUp["certitude"].Seconds;
        var theirStart = data.StartUp["nmap"].Seconds;
        var ourRate = NginxFixture.Addresses / (certitude.Seconds - ourStart);
        var theirRate = NginxFixture.Addresses / (nmap.Seconds - theirStart);
        output.WriteLine(Format(
            $"without start-up (a scan of one closed address: certitude {ourStart:F3} s, {data.StartUp["certitude"].CpuSeconds:F2} cpu s; nmap {theirStart:F3} s, {data.StartUp["nmap"].CpuSeconds:F2} cpu s): certitude {ourRate:N0}/s, nmap {theirRate:N0}/s, {ourRate / theirRate:F2}x"));
    }

    private static void PrintCeiling(TextWriter output, ReportData data)
    {
        output.WriteLine();
        output.WriteLine(Format(
            $"nginx full-handshake ceiling: wrk -t2 -c{data.Settings.WrkConnections} -d{data.Settings.WrkSeconds}s -H 'Connection: close' (every request a new connection and handshake)"));
        output.WriteLine(Format($"{"address",-Label} {"handshakes/s",12} {"errors",6} {"resumed",7} {"nginx cpu ms each",17}"));
        foreach (var run in data.Ceilings)
        {
            output.WriteLine(Format(
                $"{$"https://{run.Address}:{NginxFixture.Port}/ ({run.KeyType})",-Label} {run.Rate,12:N0} {run.Errors,6} {run.Resumed,7} {run.NginxCpuMilliseconds,17:F3}"));
        }

        // Half the fixture's endpoints are RSA and half ECDSA: one handshake of each takes 1/a + 1/b seconds.
        var mix = data.Ceilings.Count / data.Ceilings.Sum(c => 1 / c.Rate);
        var certitude = data.Scans.Single(s => s.Scanner == "certitude").Rate;
        var nmap = data.Scans.Single(s => s.Scanner == "nmap").Rate;
        output.WriteLine(Format(
            $"{"the fixture's mix (half each): ceiling",-Label} {mix,12:N0}   certitude at {certitude / mix:P0} of it, nmap at {nmap / mix:P0}"));
    }

    private static void PrintSweeps(TextWriter output, ReportData data)
    {
        output.WriteLine();
        output.WriteLine(Format(
            $"{$"closed-port sweep, {DiscoveryBenchmark.ClosedNetwork} port {NginxFixture.Port} (nothing listens)",-Label} {"seconds",8} {"addresses/s",11} {"runs",6} {"open",5} {"cpu s",6}"));
        foreach (var sweep in data.Sweeps)
        {
            if (!sweep.Finished)
            {
                output.WriteLine(Format(
                    $"{sweep.CommandLine,-Label} skipped: not finished within {sweep.Samples[^1].Seconds:F0} s (stopped)"));
                continue;
            }

            output.WriteLine(Format(
                $"{sweep.CommandLine,-Label} {sweep.Seconds,8:F3} {sweep.Rate,11:N0} {sweep.Samples.Count,6} {string.Join('/', sweep.OpenEndpoints),5} {sweep.CpuSeconds,6:F2}"));
        }

        var certitude = data.Sweeps.Single(s => s.Scanner == "certitude");
        output.WriteLine(Format(
            $"target >= {SweepTarget:N0} addresses/s (certitude): {(certitude.Finished && certitude.Rate >= SweepTarget ? "met" : "NOT met")} ({certitude.Rate:N0}/s)"));
    }

    private static void PrintProfile(TextWriter output, ReportData data)
    {
        var engine = data.Engine;
        var startUp = data.StartUp["certitude"];
        output.WriteLine();
        output.WriteLine(Format(
            $"{$"where certitude scan's time goes (in process, median of {data.Settings.Runs})",-Label} {"seconds",8} {"per s",11} {"",6} {"",5} {"",5} {"cpu s",6}"));
        void Line(string label, double seconds, double cpu, double count) =>
            output.WriteLine(Format($"{label,-Label} {seconds,8:F3} {(count > 0 ? (count / seconds).ToString("N0", CultureInfo.InvariantCulture) : ""),11} {"",6} {"",5} {"",5} {cpu,6:F2}"));
        Line("process start-up (certitude scan of one closed address)", startUp.Seconds, startUp.CpuSeconds, 0);
        Line($"scanner engine alone (TlsScanner, default options), {NginxFixture.Network}", engine.Probe.Seconds, engine.Probe.Cpu, NginxFixture.Addresses);
        Line($"ChainCheck.Evaluate on the {engine.Certificates:N0} chains, one after another", engine.ChainCheck.Seconds, engine.ChainCheck.Cpu, engine.Certificates);
        Line($"scanner engine alone, closed {DiscoveryBenchmark.ClosedNetwork}", engine.Sweep.Seconds, engine.Sweep.Cpu, DiscoveryBenchmark.ClosedAddresses);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
