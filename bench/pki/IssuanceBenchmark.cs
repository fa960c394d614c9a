using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Certitude.Bench.Pki;

/// <summary>
/// Issuance end to end through the REST API: N CSRs (EC P-256, one key each, distinct names under the division's
/// domain) made beforehand in this process, POSTed to /api/v1/requests by many requests in flight; every answer
/// must be 201 with state Issued, and afterwards every certificate must be in the database (inventory record and
/// issued_certificates row for its request).
/// </summary>
internal static class IssuanceBenchmark
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<IssuanceResult> RunAsync(BenchSettings settings, BenchPki pki, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"Making {settings.WarmUp + settings.Certificates:N0} CSRs (EC P-256, a key each)");
        var warmUp = Bodies(pki, 0, settings.WarmUp);
        var bodies = Bodies(pki, settings.WarmUp, settings.Certificates);
        using var client = pki.Server.CreateClient(pki.ApiKey, settings.Concurrency);

        await WarmUpAsync(client, warmUp, settings, pki.Server.Process, cancellationToken);

        Console.Error.WriteLine($"Issuance: {settings.Certificates:N0} certificates, {settings.Concurrency} requests in flight");
        var serverCpu = pki.Server.Process.CpuSeconds();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var (issued, latencies) = await SubmitAsync(client, bodies, settings.Concurrency, cancellationToken);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        serverCpu = pki.Server.Process.CpuSeconds() - serverCpu;
        var clientSeconds = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds;

        await CheckPersistedAsync(settings, issued, cancellationToken);
        Array.Sort(latencies);
        var result = new IssuanceResult(issued.Count, settings.Concurrency, seconds, serverCpu, clientSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), issued);
        Console.Error.WriteLine($"  {result.Rate:N0} certificates/s ({seconds:F1} s), server CPU {serverCpu / issued.Count * 1000:F2} ms per certificate");
        return result;
    }

    /// <summary>The server's tiered compilation takes a minute or more of load to settle (a profile 10 s into a
    /// timed run still found a quarter of the server's CPU in the JIT thread): warm-up rounds go on until that thread
    /// takes under 2 % of a round's server CPU, or 30 rounds.</summary>
    private static async Task WarmUpAsync(HttpClient client, (string Name, byte[] Body)[] bodies, BenchSettings settings, ExternalProcess server,
        CancellationToken cancellationToken)
    {
        const double QuietShare = 0.02;
        for (var round = 1; round <= 30; round++)
        {
            var (jit, cpu) = (server.ThreadCpuSeconds(".NET Tiered Com"), server.CpuSeconds());
            await SubmitAsync(client, bodies, settings.Concurrency, cancellationToken);
            var share = (server.ThreadCpuSeconds(".NET Tiered Com") - jit) / Math.Max(0.01, server.CpuSeconds() - cpu);
            Console.Error.WriteLine($"Issuance warm-up round {round}: {bodies.Length:N0} certificates, tiered compilation {share:P1} of the server's CPU");
            if (share < QuietShare)
            {
                return;
            }
        }
    }

    private static (string Name, byte[] Body)[] Bodies(BenchPki pki, int offset, int count)
    {
        var bodies = new (string, byte[])[count];
        Parallel.For(0, count, i =>
        {
            var name = $"host{offset + i}.{pki.Domain}";
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
            var csr = PemEncoding.WriteString("CERTIFICATE REQUEST", request.CreateSigningRequest());
            bodies[i] = (name, JsonSerializer.SerializeToUtf8Bytes(new { divisionId = pki.DivisionId, csr }));
        });
        return bodies;
    }

    private static async Task<(List<IssuedItem> Issued, double[] Latencies)> SubmitAsync(HttpClient client, (string Name, byte[] Body)[] bodies, int concurrency,
        CancellationToken cancellationToken)
    {
        var issued = new IssuedItem[bodies.Length];
        var latencies = new double[bodies.Length];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(bodies[i].Body);
                content.Headers.ContentType = Json;
                using var response = await client.PostAsync("api/v1/requests", content, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"request for {bodies[i].Name}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(answer)}");
                }

                using var json = JsonDocument.Parse(answer);
                var root = json.RootElement;
                if (root.GetProperty("state").GetString() != "Issued" || root.GetProperty("certificateId").ValueKind != JsonValueKind.Number)
                {
                    throw new InvalidOperationException($"request for {bodies[i].Name} was not issued: {System.Text.Encoding.UTF8.GetString(answer)}");
                }

                issued[i] = new IssuedItem(root.GetProperty("id").GetInt64(), root.GetProperty("certificateId").GetInt64(), bodies[i].Name);
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        return (issued.ToList(), latencies);
    }

    /// <summary>Every answered request has its issued_certificates row and its inventory record, committed (read by another connection).</summary>
    private static async Task CheckPersistedAsync(BenchSettings settings, List<IssuedItem> issued, CancellationToken cancellationToken)
    {
        var database = Path.Combine(settings.WorkDirectory, "data", "certitude.db");
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT i.RequestId, i.CertificateId FROM issued_certificates i JOIN certificates c ON c.Id = i.CertificateId WHERE i.RequestId IS NOT NULL";
        var stored = new HashSet<(long, long)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        var missing = issued.Count(i => !stored.Contains((i.RequestId, i.CertificateId)));
        if (missing > 0)
        {
            throw new InvalidOperationException($"{missing} of {issued.Count} issued certificates are not in the database");
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
