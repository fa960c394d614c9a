using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Certitude.Data;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.TestSupport;
using Certitude.Tls.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// The "done when" for discovery, over the API with real servers on loopback: a scheduled scan of nginx
/// (a certificate from an approved CA, an expired one, a self-signed one in a production range, one from a CA nobody
/// approved), postfix with STARTTLS, PostgreSQL with SSL and a TLS 1.0-only gnutls-serv finds every endpoint and
/// certificate and flags the rogue ones; the next run reports the one certificate changed; a stopped server is gone.
/// </summary>
/// <remarks>
/// The schedule runs on a <see cref="FakeTimeProvider"/>: the test moves the server's clock to the definition's next
/// time and the scheduler starts the run by itself, without waiting for a wall-clock minute.
/// </remarks>
public abstract class DiscoveryDoneWhenTests(DatabaseProvider provider) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-done-when-").FullName;

    [Fact]
    public async Task ScheduledScan_LoopbackFixture_FindsEveryEndpointFlagsRogueReportsChangedAndGone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CertitudeServer.StartAsync(provider, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Configuration["Discovery:PollIntervalMilliseconds"] = "200";
            builder.Configuration["Discovery:HandshakeTimeoutMilliseconds"] = "5000";
        });
        using var admin = server.CreateClient();

        using var approvedCa = CertificateFactory.CreateRoot("Approved Root", DateTimeOffset.UtcNow.AddDays(-90));
        using var rogueCa = CertificateFactory.CreateRoot("Rogue Root");
        using var valid = CertificateFactory.CreateLeaf(approvedCa, "valid.done.test");
        using var expired = CertificateFactory.CreateLeaf(approvedCa, "expired.done.test", notBefore: DateTimeOffset.UtcNow.AddDays(-60),
            notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        using var selfSigned = CertificateFactory.CreateLeaf(null, "self.done.test");
        using var unapproved = CertificateFactory.CreateLeaf(rogueCa, "rogue.done.test");
        using var unapprovedNext = CertificateFactory.CreateLeaf(rogueCa, "rogue.done.test");
        using var mail = CertificateFactory.CreateLeaf(approvedCa, "mail.done.test");
        using var database = CertificateFactory.CreateLeaf(approvedCa, "db.done.test");
        using var legacy = CertificateFactory.CreateLeaf(approvedCa, "legacy.done.test");

        var webPort = NginxServer.FreeLoopbackPort();
        var otherPort = NginxServer.FreeLoopbackPort();
        var site = (string last, int port) => new IPEndPoint(IPAddress.Parse($"127.0.6.{last}"), port);
        (IPEndPoint, X509Certificate2, X509Certificate2[])[] sites =
        [
            (site("1", webPort), valid, [approvedCa]), (site("2", webPort), expired, [approvedCa]), (site("3", webPort), selfSigned, []),
            (site("4", otherPort), unapproved, [rogueCa]),
        ];
        var nginx = await NginxSites.StartAsync(sites);
        PostgresTlsServer? postgres = null;
        try
        {
            await using var postfix = await PostfixServer.StartAsync(Write("mail.pem", mail, approvedCa), WriteKey("mail.key", mail));
            postgres = await PostgresTlsServer.StartAsync(Write("db.pem", database, approvedCa), WriteKey("db.key", database));

            // gnutls-serv binds every interface (it cannot choose an address): it lives for this test only, and the scan
            // names it by its one loopback address and port.
            var legacyPort = PeerProcess.FreeLoopbackPort();
            await using var tls10 = await PeerProcess.StartAsync(
                "/usr/bin/gnutls-serv", _work, legacyPort,
                [
                    "--port", legacyPort.ToString(CultureInfo.InvariantCulture), "--x509certfile", Write("legacy.pem", legacy, approvedCa),
                    "--x509keyfile", WriteKey("legacy.key", legacy), "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.0", "--echo", "--quiet", "--nodb",
                    "--noticket", "--disable-client-cert",
                ]);

            // The approved CA and the valid certificate come in through an import: the CA to approve, the certificate
            // as one the platform knows (so not "unmanaged"); every other certificate is only ever seen by the scan.
            var imported = await ImportAsync(admin, approvedCa, valid);
            var approvedId = imported[approvedCa.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant()];
            var validId = imported[valid.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant()];
            await PutAsync<DiscoverySettingsDto>(admin, "/api/v1/discovery/settings",
                new { approvedAuthorityCertificateIds = new[] { approvedId }, productionRanges = new[] { "127.0.6.0/30" } });

            var ports = string.Create(CultureInfo.InvariantCulture, $"{webPort},{otherPort},{postfix.SmtpPort}/smtp,{postgres.Port}/postgres");
            var definition = await PostAsync<ScanDefinitionDto>(admin, "/api/v1/discovery/scans", new
            {
                name = "done when", targets = new[] { "127.0.6.0/29", "127.0.0.1", $"127.0.0.1:{legacyPort}" }, ports, schedule = "*/15 * * * *",
            }, HttpStatusCode.Created);
            Assert.NotNull(definition.NextRunAt);
            Assert.Empty(await GetAsync<List<ScanRunDto>>(admin, $"/api/v1/discovery/runs?scan={definition.Id}"));

            // The scheduler's turn: the clock reaches the next time, the server starts the run and scans it itself.
            time.SetUtcNow(definition.NextRunAt!.Value.AddSeconds(1));
            var first = await WaitForRunAsync(admin, definition.Id, null);
            Assert.Equal("schedule", first.Trigger);
            Assert.Equal((ScanRunState.Completed, 7, 7, 7, 0, 0, 0), (first.State, first.EndpointsFound, first.Certificates, first.NewEndpoints,
                first.ChangedCertificates, first.GoneEndpoints, first.Errors));
            var next = (await GetAsync<ScanDefinitionDto>(admin, $"/api/v1/discovery/scans/{definition.Id}")).NextRunAt;
            Assert.Equal(definition.NextRunAt.Value.AddMinutes(15), next);

            var endpoints = (await GetAsync<EndpointPage>(admin, $"/api/v1/discovery/endpoints?run={first.Id}&limit=100")).Items
                .ToDictionary(e => $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}");
            var webText = webPort.ToString(CultureInfo.InvariantCulture);
            var names = new Dictionary<string, (X509Certificate2 Leaf, string StartTls)>
            {
                [$"127.0.6.1:{webText}"] = (valid, "none"),
                [$"127.0.6.2:{webText}"] = (expired, "none"),
                [$"127.0.6.3:{webText}"] = (selfSigned, "none"),
                [$"127.0.6.4:{otherPort.ToString(CultureInfo.InvariantCulture)}"] = (unapproved, "none"),
                [$"127.0.0.1:{postfix.SmtpPort.ToString(CultureInfo.InvariantCulture)}"] = (mail, "smtp"),
                [$"127.0.0.1:{postgres.Port.ToString(CultureInfo.InvariantCulture)}"] = (database, "postgresql"),
                [$"127.0.0.1:{legacyPort.ToString(CultureInfo.InvariantCulture)}"] = (legacy, "none"),
            };
            Assert.Equal(names.Keys.Order(), endpoints.Keys.Order());
            foreach (var (key, (leaf, startTls)) in names)
            {
                var endpoint = endpoints[key];
                Assert.True(endpoint.Sha256Fingerprint == Fingerprint(leaf) && endpoint.StartTls == startTls && endpoint.Failure is null,
                    $"{key}: {endpoint.Sha256Fingerprint} {endpoint.StartTls} {endpoint.Failure} {endpoint.Error}");

                // Each certificate is in the inventory with the scan as a source at that endpoint.
                var certificate = await GetAsync<CertificateDetails>(admin, $"/api/v1/certificates/{endpoint.CertificateId}");
                Assert.Contains(certificate.Sources, s => s.Kind == CertificateSourceKinds.Scan && s.Location == key);
            }

            var legacyEndpoint = endpoints[$"127.0.0.1:{legacyPort.ToString(CultureInfo.InvariantCulture)}"];
            Assert.Equal(("TLSv1.0", false), (legacyEndpoint.Protocol, legacyEndpoint.SupportsTls13));
            Assert.Equal(validId, endpoints[$"127.0.6.1:{webText}"].CertificateId);

            // Rogue: the issuer is neither approved nor Certitude's (self-signed, the rogue CA), self-signed inside the
            // production range, and "unmanaged" for every certificate that only a scan ever saw (all but the imported one).
            // Trust is the chain's and expiry a problem of its own: the expired certificate still chains to the approved CA.
            var expectations = new Dictionary<string, (string[] Rogue, string[] Problems, string Trust)>
            {
                [$"127.0.6.1:{webText}"] = ([], [], "organization"),
                [$"127.0.6.2:{webText}"] = (["unmanaged"], ["expired"], "organization"),
                [$"127.0.6.3:{webText}"] = (["unapproved-issuer", "self-signed-in-production", "unmanaged"], ["self-signed", "untrusted"], "untrusted"),
                [$"127.0.6.4:{otherPort.ToString(CultureInfo.InvariantCulture)}"] = (["unapproved-issuer", "unmanaged"], ["untrusted"], "untrusted"),
                [$"127.0.0.1:{postfix.SmtpPort.ToString(CultureInfo.InvariantCulture)}"] = (["unmanaged"], [], "organization"),
                [$"127.0.0.1:{postgres.Port.ToString(CultureInfo.InvariantCulture)}"] = (["unmanaged"], [], "organization"),
                [$"127.0.0.1:{legacyPort.ToString(CultureInfo.InvariantCulture)}"] = (["unmanaged"], [], "organization"),
            };
            var actual = expectations.Keys.ToDictionary(k => k, k => (string.Join(',', endpoints[k].RogueReasons), string.Join(',', endpoints[k].Problems), endpoints[k].Trust));
            Assert.Equal(expectations.ToDictionary(e => e.Key, e => (string.Join(',', e.Value.Rogue), string.Join(',', e.Value.Problems), (string?)e.Value.Trust)), actual);
            var rogue = (await GetAsync<EndpointPage>(admin, "/api/v1/discovery/endpoints?rogue=true&limit=100")).Items;
            Assert.Equal(names.Keys.Where(k => k != $"127.0.6.1:{webText}").Order(), rogue.Select(e => $"{e.Address}:{e.Port}").Order());

            // The rogue site gets another certificate: the next run reports that change and nothing else.
            await nginx.DisposeAsync();
            sites[3] = (site("4", otherPort), unapprovedNext, [rogueCa]);
            nginx = await NginxSites.StartAsync(sites);
            time.Advance(TimeSpan.FromMinutes(1));
            var second = await RunNowAsync(admin, definition.Id);
            Assert.Equal((ScanRunState.Completed, 7, 0, 1, 0), (second.State, second.EndpointsFound, second.NewEndpoints, second.ChangedCertificates, second.GoneEndpoints));
            var changed = Assert.Single(await GetAsync<List<DiscoveryChangeDto>>(admin, $"/api/v1/discovery/changes?run={second.Id}"));
            Assert.Equal((DiscoveryChangeKinds.CertificateChanged, $"127.0.6.4:{otherPort.ToString(CultureInfo.InvariantCulture)}"), (changed.Kind, changed.Endpoint));
            Assert.Equal(endpoints[changed.Endpoint].CertificateId, changed.PreviousCertificateId);
            var now = await GetAsync<EndpointDetailDto>(admin, $"/api/v1/discovery/endpoints/{changed.EndpointId}");
            Assert.Equal((changed.CertificateId, Fingerprint(unapprovedNext)), (now.Endpoint.CertificateId, now.Endpoint.Sha256Fingerprint));
            Assert.Equal([second.Id, first.Id], now.History.Select(h => h.RunId));

            // PostgreSQL stops: its endpoint is gone, the rest unchanged.
            var postgresKey = $"127.0.0.1:{postgres.Port.ToString(CultureInfo.InvariantCulture)}";
            await postgres.DisposeAsync();
            postgres = null;
            time.Advance(TimeSpan.FromMinutes(1));
            var third = await RunNowAsync(admin, definition.Id);
            Assert.Equal((ScanRunState.Completed, 6, 0, 0, 1), (third.State, third.EndpointsFound, third.NewEndpoints, third.ChangedCertificates, third.GoneEndpoints));
            var gone = Assert.Single(await GetAsync<List<DiscoveryChangeDto>>(admin, $"/api/v1/discovery/changes?run={third.Id}"));
            Assert.Equal((DiscoveryChangeKinds.EndpointGone, postgresKey), (gone.Kind, gone.Endpoint));
            var goneEndpoint = await GetAsync<EndpointDetailDto>(admin, $"/api/v1/discovery/endpoints/{gone.EndpointId}");
            Assert.False(goneEndpoint.Endpoint.IsActive);
        }
        finally
        {
            await nginx.DisposeAsync();
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    private static string Fingerprint(X509Certificate2 certificate) =>
        certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToLowerInvariant();

    private string Write(string name, X509Certificate2 leaf, params X509Certificate2[] chain)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, CertificateFactory.ToPem([leaf, .. chain]));
        return path;
    }

    private string WriteKey(string name, X509Certificate2 leaf)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return path;
    }

    /// <summary>Imports certificates through the API; their inventory ids by SHA-256 fingerprint.</summary>
    private static async Task<Dictionary<string, long>> ImportAsync(HttpClient admin, params X509Certificate2[] certificates)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes(CertificateFactory.ToPem(certificates)));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
        form.Add(part, "files", "approved.pem");
        using var response = await admin.PostAsync("/api/v1/certificates/import", form, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var imported = System.Text.Json.JsonSerializer.Deserialize<ImportResponse>(text, Json)!;
        return imported.Files.SelectMany(f => f.Certificates).ToDictionary(c => c.Sha256Fingerprint.ToLowerInvariant(), c => c.Id!.Value);
    }

    private static async Task<ScanRunDto> RunNowAsync(HttpClient admin, long definitionId)
    {
        var run = await PostAsync<ScanRunDto>(admin, $"/api/v1/discovery/scans/{definitionId}/run", null, HttpStatusCode.Accepted);
        return await WaitForRunAsync(admin, definitionId, run.Id);
    }

    /// <summary>Waits for the run (or, with no id, the definition's first run) to finish.</summary>
    private static async Task<ScanRunDto> WaitForRunAsync(HttpClient admin, long definitionId, long? runId)
    {
        ScanRunDto? run = null;
        await WaitForAsync(async () =>
        {
            var runs = await GetAsync<List<ScanRunDto>>(admin, $"/api/v1/discovery/runs?scan={definitionId}");
            run = runId is { } id ? runs.SingleOrDefault(r => r.Id == id) : runs.SingleOrDefault();
            return run?.State is ScanRunState.Completed or ScanRunState.Cancelled;
        }, TimeSpan.FromSeconds(120), () => System.Text.Json.JsonSerializer.Serialize(run, Json));
        return run!;
    }
}

public sealed class SqliteDiscoveryDoneWhenTests() : DiscoveryDoneWhenTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlDiscoveryDoneWhenTests() : DiscoveryDoneWhenTests(DatabaseProvider.PostgreSql);
