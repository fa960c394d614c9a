using System.Globalization;

namespace Certitude.Bench.Pki;

/// <summary>The result table, plain text so that it reads the same in a terminal, a CI log and docs/benchmarks.md.</summary>
internal static class Report
{
    public const double IssuanceTarget = 2_000;
    public const double OcspTarget = 20;

    public static void Print(TextWriter output, ReportData data)
    {
        output.WriteLine();
        output.WriteLine(Format($"Certitude managed-PKI benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        foreach (var (name, value) in data.Machine.Concat(data.Versions))
        {
            output.WriteLine(Format($"{name,-9} {value}"));
        }

        var issuance = data.Issuance;
        output.WriteLine();
        output.WriteLine(Format($"{"issuance (EC P-256, SQLite)",-58} {"per s",9} {"ratio",9}  target"));
        output.WriteLine(Format($"{"openssl speed ecdsap256 -multi N: signatures (ceiling)",-58} {data.OpensslSignsPerSecond,9:N0}"));
        output.WriteLine(Format($"{"  verifications",-58} {data.OpensslVerifiesPerSecond,9:N0}"));
        output.WriteLine(Format(
            $"{$"POST /api/v1/requests, {issuance.Certificates:N0} CSRs, {issuance.Concurrency} in flight",-58} {issuance.Rate,9:N0} {issuance.Rate / data.OpensslSignsPerSecond,9:P1}  >= {IssuanceTarget:N0}/s: {(issuance.Rate >= IssuanceTarget ? "met" : "NOT met")} ({issuance.Rate / IssuanceTarget:P0})"));
        output.WriteLine(Format(
            $"  latency p50 {issuance.P50Milliseconds:F1} ms, p99 {issuance.P99Milliseconds:F1} ms; CPU per certificate: server {issuance.ServerCpuSeconds / issuance.Certificates * 1000:F2} ms, client {issuance.ClientCpuSeconds / issuance.Certificates * 1000:F2} ms; {issuance.Seconds:F1} s"));

        var ocsp = data.Ocsp;
        var openssl = ocsp.Run(OcspBenchmark.Openssl);
        output.WriteLine();
        output.WriteLine(Format(
            $"OCSP: {ocsp.Certificates:N0} certificates ({ocsp.Revoked:N0} revoked), POST, wrk -t{data.Settings.Threads} -c{data.Settings.Connections} -d{data.Settings.Seconds}s"));
        output.WriteLine(Format($"{"responder",-58} {"per s",9} {"x openssl",9} {"p50 ms",7} {"p99 ms",7} {"cpu s",6} {"errors",6}"));
        foreach (var run in ocsp.Runs)
        {
            output.WriteLine(Format(
                $"{run.Label,-58} {run.Rate,9:N0} {run.Rate / openssl.Rate,9:F1} {run.P50Milliseconds,7:F2} {run.P99Milliseconds,7:F2} {run.ResponderCpuSeconds,6:F1} {run.Errors,6}"));
        }

        var sameClient = ocsp.Run(OcspBenchmark.CertitudeNewConnection).Rate / openssl.Rate;
        var best = ocsp.Run(OcspBenchmark.CertitudeKeepAlive).Rate / openssl.Rate;
        output.WriteLine(Format(
            $"target >= {OcspTarget}x openssl: like for like (new connection per request) {sameClient:F1}x {(sameClient >= OcspTarget ? "met" : "NOT met")}; keep-alive {best:F1}x {(best >= OcspTarget ? "met" : "NOT met")}"));
        var ceilingKeepAlive = ocsp.Run(OcspBenchmark.CeilingKeepAlive).Rate;
        var ceilingNewConnection = ocsp.Run(OcspBenchmark.CeilingNewConnection).Rate;
        output.WriteLine(Format(
            $"{OcspTarget}x openssl is {OcspTarget * openssl.Rate:N0} responses/s; nginx answering from memory reaches {ceilingKeepAlive:N0}/s keep-alive ({ceilingKeepAlive / openssl.Rate:F1}x), {ceilingNewConnection:N0}/s with a new connection per request ({ceilingNewConnection / openssl.Rate:F1}x)"));
        output.WriteLine(Format(
            $"certitude at {ocsp.Run(OcspBenchmark.CertitudeKeepAlive).Rate / ceilingKeepAlive:P0} of that ceiling keep-alive, {ocsp.Run(OcspBenchmark.CertitudeNewConnection).Rate / ceilingNewConnection:P0} with a new connection per request"));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
