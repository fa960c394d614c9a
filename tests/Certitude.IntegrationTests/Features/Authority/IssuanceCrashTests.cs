using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.Features.Organization.Cli;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// Issuance is crash-safe (docs/decisions/0003): the real <c>certitude serve</c> process is killed with SIGKILL while
/// clients request certificates from an auto-approving division, and started again on the same data, several times.
/// Every certificate a client received (a complete 201 with state Issued) must then be known to the database, and
/// openssl's OCSP client must hear "good" for it from the restarted server; every issued_certificates row must have
/// its inventory certificate and the inventory no certificate of the CA that issued_certificates lacks.
/// </summary>
public abstract class IssuanceCrashTests(DatabaseProvider provider) : IDisposable
{
    private const int Rounds = 5;
    private const int MinimumRounds = 2;
    private const int Workers = 4;

    /// <summary>No new round starts after this: the test stays under a minute on a loaded machine.</summary>
    private static readonly TimeSpan RoundBudget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-crash-").FullName;

    [Fact]
    public async Task Issue_ServerKilledMidIssuanceInALoop_EveryReceivedCertificateIsKnownToRevocation()
    {
        var clock = Stopwatch.StartNew();
        await using var database = await TestDatabase.CreateAsync(provider);
        string apiKey;
        // The data folder prepared as `certitude apikeys create` does (the same local services), without paying for one
        // more process start: the server processes below are what this test is about.
        await using (var local = await LocalServices.OpenAsync(database.Storage, Cancel))
        {
            var admin = await ApiKeysCommand.UserIdAsync(local, AdminBootstrapper.AdminUserName);
            apiKey = (await local.Services.GetRequiredService<ApiKeyService>().CreateAsync(admin, new CreateApiKeyRequest { Name = "crash-test" }, Actor.Cli(), Cancel)).Key;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: API key created");
        var server = await CertitudeProcess.StartAsync(database.Storage, StartTimeout, Cancel);
        TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: server started");
        try
        {
            var marker = Guid.NewGuid().ToString("N")[..8];
            var domain = $"crash-{marker}.example.com";
            string rootName = $"crash-root-{marker}", issuingName = $"crash-issuing-{marker}";
            long divisionId;
            using (var admin = server.CreateClient(apiKey))
            {
                await PostAsync<AuthorityDto>(admin, "api/v1/authorities", new { name = rootName, commonName = $"Crash Root {marker}" });
                await PostAsync<AuthorityDto>(admin, "api/v1/authorities", new { name = issuingName, commonName = $"Crash Issuing {marker}", parent = rootName });
                var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
                divisionId = (await PostAsync<DivisionDto>(admin, "api/v1/divisions", new
                {
                    parentId = organization.Id, name = $"Crash {marker}", domains = new[] { domain }, approvalPolicy = "AutoApprove", defaultAuthority = issuingName,
                })).Id;
            }

            var received = new ConcurrentDictionary<long, Received>();
            var problems = new ConcurrentQueue<string>();
            var interrupted = 0;
            var rounds = 0;
            // On a loaded machine a kill can land while every worker is between requests; rounds go on (up to Rounds)
            // until at least one kill has cut a request off, which is what the test is about.
            while (rounds < Rounds && (rounds < MinimumRounds || clock.Elapsed < RoundBudget || interrupted == 0))
            {
                if (rounds > 0)
                {
                    server = await CertitudeProcess.StartAsync(database.Storage, StartTimeout, Cancel);
                }

                interrupted += await KillDuringIssuanceAsync(server, apiKey, divisionId, domain, rounds, received, problems);
                rounds++;
                TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: round {rounds}, {received.Count} received, {interrupted} cut off");
            }

            Assert.True(problems.IsEmpty, string.Join("\n", problems));
            Assert.True(interrupted > 0, "the server should have been killed with requests in flight");

            server = await CertitudeProcess.StartAsync(database.Storage, StartTimeout, Cancel);
            TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: restarted for the checks");
            await CheckAfterCrashesAsync(server, apiKey, database.Storage, rootName, issuingName, received);
            TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: checked");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Workers submit CSRs back to back; once the first certificate of the round is back, the server gets SIGKILL after a
    /// random short delay. Returns how many requests were cut off by the kill.
    /// </summary>
    private static async Task<int> KillDuringIssuanceAsync(CertitudeProcess server, string apiKey, long divisionId, string domain, int round,
        ConcurrentDictionary<long, Received> received, ConcurrentQueue<string> problems)
    {
        using var client = server.CreateClient(apiKey, TimeSpan.FromSeconds(30));
        var firstIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killing = 0;
        var interrupted = 0;

        async Task WorkAsync(int worker)
        {
            for (var n = 0; ; n++)
            {
                var host = $"r{round}-w{worker}-n{n}.{domain}";
                var body = new { divisionId, csr = NewCsr(host) };
                var sentBeforeKill = Volatile.Read(ref killing) == 0;
                HttpResponseMessage response;
                string text;
                try
                {
                    response = await client.PostAsJsonAsync("api/v1/requests", body, Cancel);
                    text = await response.Content.ReadAsStringAsync(Cancel);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !Cancel.IsCancellationRequested)
                {
                    if (Volatile.Read(ref killing) == 0)
                    {
                        problems.Enqueue($"round {round}: {host} failed before the kill: {e.Message}");
                    }
                    else if (sentBeforeKill)
                    {
                        Interlocked.Increment(ref interrupted);
                    }

                    return;
                }

                using (response)
                {
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        problems.Enqueue($"round {round}: {host}: {(int)response.StatusCode} {text}");
                        return;
                    }
                }

                // A complete answer: this certificate was handed to the client.
                var request = JsonSerializer.Deserialize<RequestDto>(text, Json)!;
                if (request.State != RequestState.Issued || request.CertificateId is not { } certificateId)
                {
                    problems.Enqueue($"round {round}: {host}: {request.State} {request.FailureReason}");
                    return;
                }

                var entry = received[certificateId] = new Received(request.Id, certificateId, host, null);
                firstIssued.TrySetResult();
                try
                {
                    received[certificateId] = entry with { Der = await client.GetByteArrayAsync($"api/v1/certificates/{certificateId}/download?format=der", Cancel) };
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !Cancel.IsCancellationRequested)
                {
                    if (Volatile.Read(ref killing) == 0)
                    {
                        problems.Enqueue($"round {round}: downloading certificate {certificateId} failed before the kill: {e.Message}");
                    }

                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w), Cancel)).ToList();
        try
        {
            await firstIssued.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        }
        catch (TimeoutException)
        {
            problems.Enqueue($"round {round}: no certificate was issued within 30 s");
        }

        // The kill lands at a random point of the stream of issuances (the random delay is the point of the test).
        await Task.Delay(Random.Shared.Next(20, 400), Cancel);
        Volatile.Write(ref killing, 1);
        await server.KillAsync();
        await server.DisposeAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        return interrupted;
    }

    private async Task CheckAfterCrashesAsync(CertitudeProcess server, string apiKey, StorageSettings storage, string rootName, string issuingName,
        ConcurrentDictionary<long, Received> received)
    {
        using var client = server.CreateClient(apiKey);
        await File.WriteAllBytesAsync(Path.Combine(_work, "root.der"), await client.GetByteArrayAsync($"ca/{rootName}.crt", Cancel), Cancel);
        await File.WriteAllBytesAsync(Path.Combine(_work, "issuing.der"), await client.GetByteArrayAsync($"ca/{issuingName}.crt", Cancel), Cancel);
        await OpenSslAsync("x509", "-inform", "DER", "-in", "root.der", "-out", "root.pem");
        await OpenSslAsync("x509", "-inform", "DER", "-in", "issuing.der", "-out", "issuing.pem");

        // Everything the database holds, read directly.
        List<IssuedCertificate> issued;
        List<CertificateRequestRecord> requests;
        Dictionary<long, Certitude.Features.Inventory.Certificate> inventory;
        CertificateAuthority root, issuing;
        await using (var services = new ServiceCollection().AddLogging().AddCertitudeStorage(storage).BuildServiceProvider())
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContextAsync(Cancel);
            root = await db.CertificateAuthorities.AsNoTracking().SingleAsync(a => a.Name == rootName, Cancel);
            issuing = await db.CertificateAuthorities.AsNoTracking().SingleAsync(a => a.Name == issuingName, Cancel);
            issued = await db.IssuedCertificates.AsNoTracking().ToListAsync(Cancel);
            requests = await db.CertificateRequests.AsNoTracking().ToListAsync(Cancel);
            inventory = await db.Certificates.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(c => c.Id, Cancel);

            // Audit entries commit with their change: no crash left a gap or a dangling link in the chain.
            var audit = await new AuditLog(services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>(), TimeProvider.System).VerifyAsync(Cancel);
            Assert.True(audit.Intact, $"audit chain after the crashes: {audit.Problem} at {audit.BrokenSequence}");
        }

        // Each issued_certificates row has its inventory certificate, with the same serial, under the right CA.
        foreach (var row in issued)
        {
            Assert.True(inventory.TryGetValue(row.CertificateId, out var certificate), $"issued serial {row.SerialNumber} has no inventory certificate {row.CertificateId}");
            using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
            Assert.Equal(row.SerialNumber, x509.SerialNumber.ToLowerInvariant());
            var authority = row.AuthorityId == issuing.Id ? issuing : root;
            Assert.Equal(authority.InventoryCertificateId, certificate.IssuerCertificateId);
        }

        // Conversely, the inventory holds no certificate of the issuing CA that revocation does not know.
        var issuedIds = issued.Select(i => i.CertificateId).ToHashSet();
        var unknown = inventory.Values.Where(c => c.IssuerCertificateId == issuing.InventoryCertificateId && !issuedIds.Contains(c.Id)).Select(c => c.Id).ToList();
        Assert.True(unknown.Count == 0, $"inventory certificates of the CA missing from issued_certificates: {string.Join(", ", unknown)}");

        // Auto-approval and issuance commit together with the request: no request is left half-way.
        var byRequest = issued.Where(i => i.RequestId is not null).ToDictionary(i => i.RequestId!.Value);
        foreach (var request in requests)
        {
            Assert.True(request.State == RequestState.Issued, $"request {request.Id} is {request.State} after the crashes");
            Assert.True(byRequest.TryGetValue(request.Id, out var row) && row.CertificateId == request.CertificateId,
                $"request {request.Id} is issued but its certificate {request.CertificateId} is not in issued_certificates");
        }

        // Every certificate a client received is the database's, byte for byte, and the API hands it out again.
        Assert.NotEmpty(received);
        var files = new Dictionary<long, string>();
        foreach (var (certificateId, got) in received)
        {
            Assert.True(issuedIds.Contains(certificateId), $"certificate {certificateId} (request {got.RequestId}, {got.Host}) was received but is not in issued_certificates");
            Assert.Equal(got.RequestId, issued.Single(i => i.CertificateId == certificateId).RequestId);
            var der = await client.GetByteArrayAsync($"api/v1/certificates/{certificateId}/download?format=der", Cancel);
            if (got.Der is not null)
            {
                Assert.Equal(got.Der, der);
            }

            using var x509 = X509CertificateLoader.LoadCertificate(der);
            Assert.Contains(got.Host, x509.Subject, StringComparison.Ordinal);
            var file = $"received-{certificateId}.pem";
            await File.WriteAllTextAsync(Path.Combine(_work, file), x509.ExportCertificatePem(), Cancel);
            files[certificateId] = file;
        }

        // Every serial the database issued (received or not) answers "good" from the restarted responder; the CA
        // certificate itself asks the root's responder.
        foreach (var row in issued.Where(i => !files.ContainsKey(i.CertificateId)))
        {
            var file = $"issued-{row.CertificateId}.pem";
            await File.WriteAllTextAsync(Path.Combine(_work, file), PemEncoding.WriteString("CERTIFICATE", inventory[row.CertificateId].Der), Cancel);
            files[row.CertificateId] = file;
        }

        var ocspUrl = server.BaseAddress.ToString().TrimEnd('/');
        foreach (var (authority, issuerFile) in new[] { (issuing, "issuing.pem"), (root, "root.pem") })
        {
            var mine = issued.Where(i => i.AuthorityId == authority.Id).Select(i => files[i.CertificateId]).ToList();
            foreach (var batch in mine.Chunk(50))
            {
                var arguments = new List<string> { "ocsp", "-issuer", issuerFile, "-url", $"{ocspUrl}/ocsp/{authority.Name}", "-CAfile", "root.pem", "-verify_other", "issuing.pem" };
                foreach (var file in batch)
                {
                    arguments.AddRange(["-cert", file]);
                }

                var answer = await OpenSslAsync([.. arguments]);
                foreach (var file in batch)
                {
                    Assert.True(answer.Contains($"{file}: good", StringComparison.Ordinal), $"OCSP for {file}:\n{answer}");
                }
            }
        }

        // The CRL parses, is signed by the CA and current, and lists none of the received certificates.
        await File.WriteAllBytesAsync(Path.Combine(_work, "issuing.crl"), await client.GetByteArrayAsync($"crl/{issuingName}.crl", Cancel), Cancel);
        await OpenSslAsync("crl", "-inform", "DER", "-in", "issuing.crl", "-out", "issuing-crl.pem");
        var receivedFiles = received.Keys.Select(id => files[id]).ToList();
        var verified = await OpenSslAsync(["verify", "-crl_check", "-CRLfile", "issuing-crl.pem", "-CAfile", "root.pem", "-untrusted", "issuing.pem", .. receivedFiles]);
        foreach (var file in receivedFiles)
        {
            Assert.Contains($"{file}: OK", verified, StringComparison.Ordinal);
        }
    }

    private static string NewCsr(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequestPem();
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }

    private sealed record Received(long RequestId, long CertificateId, string Host, byte[]? Der);
}

public sealed class SqliteIssuanceCrashTests() : IssuanceCrashTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlIssuanceCrashTests() : IssuanceCrashTests(DatabaseProvider.PostgreSql);
