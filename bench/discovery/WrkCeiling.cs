using System.Globalization;
using System.Text.RegularExpressions;

namespace Certitude.Bench.Discovery;

/// <summary>
/// nginx's full-handshake ceiling: <c>wrk -t2 -cN -dNs -H 'Connection: close'</c> on one address, so that every
/// request is a new TCP connection and a new TLS handshake (wrk speaks TLS 1.2 through OpenSSL; nginx has no session
/// cache or tickets, and the run fails if nginx logged a resumed session).
/// </summary>
internal static partial class WrkCeiling
{
    public static async Task<WrkResult> MeasureAsync(NginxFixture fixture, int addressIndex, BenchSettings settings, CancellationToken cancellationToken)
    {
        var address = NginxFixture.Address(addressIndex);
        var certificate = fixture.CertificateAt(addressIndex);
        Console.Error.WriteLine($"wrk: full handshakes on {address} ({certificate.KeyType})");
        var resumed = fixture.ResumedRequests();
        var cpu = fixture.CpuSeconds();
        var run = await TimedProcess.RunAsync("wrk",
            [
                "-t2", "-c", settings.WrkConnections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{settings.WrkSeconds.ToString(CultureInfo.InvariantCulture)}s",
                "-H", "Connection: close", $"https://{address}:{NginxFixture.Port}/",
            ],
            TimeSpan.FromSeconds(settings.WrkSeconds + 60), cancellationToken);
        cpu = fixture.CpuSeconds() - cpu;
        var total = TotalLine().Match(run.Output);
        if (run.ExitCode != 0 || !total.Success)
        {
            throw new InvalidOperationException($"wrk failed ({run.ExitCode}):\n{run.Output}{run.Error}");
        }

        long Count(Regex pattern, int group = 1) =>
            pattern.Match(run.Output) is { Success: true } m ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var errors = Count(Non2xx()) + SocketErrors().Matches(run.Output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var requests = long.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture);
        var seconds = Duration(total.Groups["value"].Value, total.Groups["unit"].Value);
        var result = new WrkResult(address, certificate.KeyType, requests, seconds, errors, fixture.ResumedRequests() - resumed, cpu);
        Console.Error.WriteLine($"  {result.Rate:N0} handshakes/s, {errors} errors, {result.Resumed} resumed, nginx {result.NginxCpuSeconds:F1} cpu s");
        return result;
    }

    private static double Duration(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "ms" => 1e-3, "m" => 60, "us" => 1e-6, _ => 1 };

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<value>[\d.]+)(?<unit>us|ms|s|m),")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
