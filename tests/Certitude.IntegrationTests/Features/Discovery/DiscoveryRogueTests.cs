using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.TestSupport;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryTestApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// Rogue certificates as the issue defines them, computed when a run closes: an issuer that is neither Certitude's CA
/// nor approved, a self-signed certificate in a production range, a certificate only ever seen by scans, and a wildcard
/// certificate on more endpoints than the threshold. The approved case is a certificate Certitude's own CA issued.
/// </summary>
public abstract class DiscoveryRogueTests(DiscoveryServerFixture fixture)
{
    private readonly CertitudeServer _server = fixture.Server;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CloseRun_MixedCertificates_FlagsEachRogueReasonAndClearsThemOnceImportedAndApproved()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var issued = await IssueFromCertitudeAsync(admin, subnet);
        var foreignRoot = CertificateFactory.CreateRoot($"Foreign Root {subnet}");
        var foreignLeaf = CertificateFactory.CreateLeaf(foreignRoot, $"foreign.{subnet}.example");
        var selfSigned = CertificateFactory.CreateLeaf(null, $"self.{subnet}.example");
        var selfSignedInProduction = CertificateFactory.CreateLeaf(null, $"prod.{subnet}.example");
        var wildcard = CertificateFactory.CreateLeaf(foreignRoot, $"*.wild.{subnet}.example");
        await UpdateSettingsAsync(admin, new DiscoverySettingsInput { ProductionRanges = [$"{subnet}.1.0/24"], WildcardSpreadThreshold = 2 });
        ScanResultDto[] results =
        [
            Result($"{subnet}.0.1", 443, issued),
            Result($"{subnet}.0.2", 443, foreignLeaf, foreignRoot),
            Result($"{subnet}.0.3", 443, selfSigned),
            Result($"{subnet}.1.1", 443, selfSignedInProduction),
            // Three endpoints with one wildcard certificate: more than the threshold of 2.
            Result($"{subnet}.0.4", 443, wildcard, foreignRoot),
            Result($"{subnet}.0.5", 443, wildcard, foreignRoot),
            Result($"{subnet}.0.6", 443, wildcard, foreignRoot),
        ];
        string[] targets = [$"{subnet}.0.0/24", $"{subnet}.1.0/24"];

        var first = await RogueReasonsAsync(admin, await UploadAsync(admin, targets, "443", results));

        Assert.Empty(first[$"{subnet}.0.1"]);
        Assert.Equal(["unapproved-issuer", "unmanaged"], first[$"{subnet}.0.2"]);
        Assert.Equal(["unapproved-issuer", "unmanaged"], first[$"{subnet}.0.3"]);
        Assert.Equal(["self-signed-in-production", "unapproved-issuer", "unmanaged"], first[$"{subnet}.1.1"]);
        foreach (var address in new[] { $"{subnet}.0.4", $"{subnet}.0.5", $"{subnet}.0.6" })
        {
            Assert.Equal(["unapproved-issuer", "unmanaged", "wildcard-spread"], first[address]);
        }

        var rogue = await EndpointsAsync(admin, $"rogue=true&q={subnet}.");
        Assert.Equal(6, rogue.Count);
        Assert.DoesNotContain(rogue, e => e.Address == $"{subnet}.0.1");

        // The foreign leaf imported through the inventory is managed; its root, approved, makes its issuer approved.
        await ImportAsync(admin, foreignLeaf);
        var rootId = await ImportAsync(admin, foreignRoot);
        await UpdateSettingsAsync(admin, new DiscoverySettingsInput { ApprovedAuthorityCertificateIds = [rootId] });

        var second = await RogueReasonsAsync(admin, await UploadAsync(admin, targets, "443", results));

        Assert.Empty(second[$"{subnet}.0.2"]);
        Assert.Equal(["unapproved-issuer", "unmanaged"], second[$"{subnet}.0.3"]);
        Assert.Equal(["unmanaged", "wildcard-spread"], second[$"{subnet}.0.4"]);
        await UpdateSettingsAsync(admin, new DiscoverySettingsInput { ProductionRanges = [], ApprovedAuthorityCertificateIds = [], WildcardSpreadThreshold = 5 });
    }

    private static async Task<Dictionary<string, List<string>>> RogueReasonsAsync(HttpClient admin, ScanRunDto run) =>
        (await EndpointsAsync(admin, $"run={run.Id}")).ToDictionary(e => e.Address, e => e.RogueReasons.Order(StringComparer.Ordinal).ToList());

    /// <summary>A certificate issued by Certitude's own issuing CA (a division that approves automatically), with its chain.</summary>
    private static async Task<X509Certificate2[]> IssueFromCertitudeAsync(HttpClient admin, string marker)
    {
        var name = marker.Replace('.', '-');
        var domain = $"{name}.example.com";
        await PostAsync(admin, "/api/v1/authorities", new { name = $"root-{name}", commonName = $"Root {name}" }, HttpStatusCode.Created);
        await PostAsync(admin, "/api/v1/authorities", new { name = $"issuing-{name}", commonName = $"Issuing {name}", parent = $"root-{name}" }, HttpStatusCode.Created);
        var root = (await admin.GetFromJsonAsync<List<Certitude.Features.Organization.DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync(admin, "/api/v1/divisions", new
        {
            parentId = root.Id, name = $"Issued {name}", domains = new[] { domain }, approvalPolicy = "AutoApprove", defaultAuthority = $"issuing-{name}",
        }, HttpStatusCode.Created);
        var request = await PostAsync(admin, "/api/v1/requests", new
        {
            divisionId = division.GetProperty("id").GetInt64(), generateKey = "EcP256", dnsNames = new[] { $"www.{domain}" },
        }, HttpStatusCode.Created);
        var pem = await admin.GetStringAsync($"/api/v1/certificates/{request.GetProperty("certificateId").GetInt64()}/download?format=fullchain", Cancel);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(pem);
        return [.. chain];
    }

    private static async Task<long> ImportAsync(HttpClient admin, X509Certificate2 certificate)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes(CertificateFactory.ToPem(certificate)));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
        form.Add(part, "files", "certificate.pem");
        using var response = await admin.PostAsync("/api/v1/certificates/import", form, Cancel);
        var imported = await ReadAsync<ImportResponse>(response, HttpStatusCode.OK);
        return imported.Files[0].Certificates[0].Id!.Value;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body, Json, Cancel);
        return await ReadAsync<JsonElement>(response, expected);
    }
}

public sealed class SqliteDiscoveryRogueTests(SqliteDiscoveryServerFixture fixture) : DiscoveryRogueTests(fixture), IClassFixture<SqliteDiscoveryServerFixture>;

public sealed class PostgreSqlDiscoveryRogueTests(PostgreSqlDiscoveryServerFixture fixture) : DiscoveryRogueTests(fixture), IClassFixture<PostgreSqlDiscoveryServerFixture>;
