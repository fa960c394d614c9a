using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Certitude.Bench.Discovery;

/// <summary>
/// <c>certitude scan TARGET -p 8443 --format json</c>: on stdout, a JSON array of the endpoints that accepted a TCP
/// connection, each with <c>address</c>, <c>port</c>, <c>state</c> ("tls" or "error"), <c>sha256</c> of the leaf
/// certificate (null without one) and <c>error</c>; progress goes to stderr.
/// </summary>
internal sealed class CertitudeScanner(BenchSettings settings) : IScanner
{
    public string Name => "certitude";

    public string CommandLine(string target) => "certitude " + string.Join(' ', Arguments(target));

    public async Task<(TimedRun Run, ScanFindings? Findings)> ScanAsync(string target, string outputDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var arguments = Arguments(target);
        var (file, all) = settings.Certitude.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ("dotnet", (IReadOnlyList<string>)[settings.Certitude, .. arguments])
            : (settings.Certitude, arguments);
        var run = await TimedProcess.RunAsync(file, all, timeout, cancellationToken);
        if (run.TimedOut)
        {
            return (run, null);
        }

        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{CommandLine(target)} exited with {run.ExitCode}:\n{run.Error}");
        }

        return (run, Parse(run.Output));
    }

    private string[] Arguments(string target) =>
    [
        "scan", target, "-p", NginxFixture.Port.ToString(CultureInfo.InvariantCulture), "--format", "json",
        .. settings.Concurrency is { } concurrency ? ["--concurrency", concurrency.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
    ];

    private static ScanFindings Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var certificates = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var negotiated = new Dictionary<string, int>(StringComparer.Ordinal);
        var open = 0;
        foreach (var endpoint in document.RootElement.EnumerateArray())
        {
            open++;
            var address = IPAddress.Parse(endpoint.GetProperty("address").GetString() ?? "").ToString();
            var port = endpoint.GetProperty("port") is { ValueKind: JsonValueKind.String } text
                ? int.Parse(text.GetString()!, CultureInfo.InvariantCulture)
                : endpoint.GetProperty("port").GetInt32();
            var key = $"{address}:{port}";
            var sha256 = Text(endpoint, "sha256");
            if (sha256 is not null && Text(endpoint, "state") == "tls")
            {
                certificates[key] = sha256.ToLowerInvariant();
                var suite = $"{Text(endpoint, "protocol")} {Text(endpoint, "cipherSuite")}";
                negotiated[suite] = negotiated.GetValueOrDefault(suite) + 1;
            }
            else
            {
                failures.Add($"{key}: {Text(endpoint, "state")} {Text(endpoint, "error") ?? "(no certificate)"}");
            }
        }

        return new ScanFindings(open, certificates, failures, negotiated);
    }

    private static string? Text(JsonElement endpoint, string name) =>
        endpoint.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
