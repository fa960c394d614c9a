using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Certitude.Features.Inventory;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Inventory;

/// <summary>The inventory REST API over HTTP against the real server, on SQLite and on PostgreSQL.</summary>
public abstract class InventoryApiTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CertitudeServer _server = fixture.Server;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_Anonymous_ReportsLiveAndReady()
    {
        using var client = _server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz", Cancel)).StatusCode);
    }

    [Fact]
    public async Task ListCertificates_Anonymous_Returns401Problem()
    {
        using var client = _server.CreateAnonymousClient();
        var response = await client.GetAsync("/api/v1/certificates", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ListCertificates_UnknownOrRevokedKey_Returns401()
    {
        using (var wrong = _server.CreateClient("ctk_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/certificates", Cancel)).StatusCode);
        }

        using var admin = _server.CreateClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "to-revoke" }, Cancel))
            .Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var key = created.GetProperty("key").GetString()!;
        using var withKey = _server.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/certificates", Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created.GetProperty("id").GetString()}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/certificates", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Import_MixedBatch_ImportsGoodFilesAndReportsEachBadOne()
    {
        var root = CertificateFactory.CreateRoot("Batch Root " + Guid.NewGuid().ToString("N")[..8]);
        var leaf = CertificateFactory.CreateLeaf(root, $"batch-{Guid.NewGuid():N}.example.test");
        using var client = _server.CreateClient();
        var response = await UploadAsync(client, new()
        {
            ["chain.pem"] = Encoding.ASCII.GetBytes("Bag Attributes: text around blocks\n" + CertificateFactory.ToPem(leaf, root)),
            ["empty.pem"] = [],
            ["random.bin"] = RandomBytes(4096),
            ["broken.pem"] = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nnot*base64!!\n-----END CERTIFICATE-----\n"),
            ["leaf.der"] = leaf.RawData,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel);
        Assert.NotNull(result);
        Assert.Equal(5, result.Summary.Files);
        Assert.Equal(3, result.Summary.FailedFiles);
        Assert.Equal(2, result.Summary.NewCertificates);
        Assert.All(result.Files.Where(f => f.Name is "empty.pem" or "random.bin" or "broken.pem"), f => Assert.False(string.IsNullOrWhiteSpace(f.Error)));
        var der = Assert.Single(result.Files, f => f.Name == "leaf.der");
        Assert.False(Assert.Single(der.Certificates).New);

        var details = await client.GetFromJsonAsync<CertificateDetails>($"/api/v1/certificates/{der.Certificates[0].Id}", Json, Cancel);
        Assert.NotNull(details);
        Assert.Equal(2, details.Chain.Count);
        Assert.True(details.ChainComplete);
        Assert.Contains(details.Sources, s => s.Kind == CertificateSourceKinds.Upload && s.Location == "chain.pem");
        Assert.Contains(details.Sources, s => s.Kind == CertificateSourceKinds.Upload && s.Location == "leaf.der");
    }

    [Fact]
    public async Task Import_OverSizeLimit_Returns413Problem()
    {
        using var client = _server.CreateClient();
        // Expect: 100-continue lets the server refuse before the body is sent, as curl does for large uploads.
        var response = await UploadAsync(client, new() { ["huge.bin"] = new byte[65 * 1024 * 1024] }, expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ListCertificates_Filters_MatchOnlyWhatTheyDescribe()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var root = CertificateFactory.CreateRoot($"Filter Root {marker}", now.AddDays(-365));
        var expiring = CertificateFactory.CreateLeaf(root, $"soon.{marker}.example", notAfter: now.AddDays(10));
        var expired = CertificateFactory.CreateLeaf(root, $"old.{marker}.example", notBefore: now.AddDays(-100), notAfter: now.AddDays(-1));
        var future = CertificateFactory.CreateLeaf(root, $"future.{marker}.example", notBefore: now.AddDays(5), notAfter: now.AddDays(200));
        var valid = CertificateFactory.CreateLeaf(root, $"www.{marker}.example", notAfter: now.AddDays(300));
        using var client = _server.CreateClient();
        await UploadAsync(client, new() { ["filters.pem"] = Encoding.ASCII.GetBytes(CertificateFactory.ToPem(expiring, expired, future, valid)) });

        async Task<string[]> Names(string query)
        {
            var page = await client.GetFromJsonAsync<CertificatePage>($"/api/v1/certificates?{query}&limit=100", Json, Cancel);
            return page!.Items.Select(i => i.CommonName!).Where(n => n.Contains(marker, StringComparison.Ordinal)).Order().ToArray();
        }

        Assert.Equal(4, (await Names($"text={marker}.example")).Length);
        Assert.Equal([$"soon.{marker}.example"], await Names($"text={marker}.example&status=Expiring"));
        Assert.Equal([$"old.{marker}.example"], await Names($"text={marker}.example&status=Expired"));
        Assert.Equal([$"future.{marker}.example"], await Names($"text={marker}.example&status=NotYetValid"));
        Assert.Equal([$"www.{marker}.example"], await Names($"text={marker}.example&status=Valid"));
        Assert.Equal([$"soon.{marker}.example"], await Names($"text={marker}&expiringWithinDays=30"));
        Assert.Equal(4, (await Names($"issuer={Uri.EscapeDataString($"Filter Root {marker}")}")).Length);
        Assert.Equal(4, (await Names($"text={marker}&keyAlgorithm=ec")).Length);
        Assert.Empty(await Names($"text={marker}&keyAlgorithm=RSA"));
        Assert.Equal([$"www.{marker}.example"], await Names($"text=www.{marker}"));
        Assert.Equal([$"www.{marker}.example"], await Names($"text={valid.SerialNumber}"));
    }

    [Fact]
    public async Task ListCertificates_KeysetPages_StayStableWhileCertificatesAreInserted()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var root = CertificateFactory.CreateRoot($"Paging Root {marker}");
        var start = DateTimeOffset.UtcNow.AddDays(100);
        var leaves = Enumerable.Range(0, 12)
            .Select(i => CertificateFactory.CreateLeaf(root, $"p{i:00}.{marker}.example", notAfter: start.AddDays(i * 2))).ToArray();
        using var client = _server.CreateClient();
        await UploadAsync(client, new() { ["paging.pem"] = Encoding.ASCII.GetBytes(CertificateFactory.ToPem(leaves)) });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<CertificatePage>(
                $"/api/v1/certificates?text={marker}.example&sort=NotAfter&limit=5" + (cursor is null ? "" : $"&cursor={cursor}"), Json, Cancel);
            seen.AddRange(page!.Items.Select(i => i.CommonName!));
            cursor = page.NextCursor;
            if (pages++ == 0)
            {
                // Certificates that sort before and inside the first page arrive while we page.
                var early = CertificateFactory.CreateLeaf(root, $"early.{marker}.example", notAfter: start.AddDays(-1));
                var middle = CertificateFactory.CreateLeaf(root, $"middle.{marker}.example", notAfter: start.AddDays(3));
                await UploadAsync(client, new() { ["more.pem"] = Encoding.ASCII.GetBytes(CertificateFactory.ToPem(early, middle)) });
            }
        }
        while (cursor is not null && pages < 10);

        var original = leaves.Select(l => l.GetNameInfo(X509NameType.SimpleName, false)).ToList();
        Assert.Equal(original, seen.Where(original.Contains).ToList());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.DoesNotContain($"early.{marker}.example", seen);
    }

    [Fact]
    public async Task ListCertificates_BadInput_ReturnsProblemDetails()
    {
        using var client = _server.CreateClient();
        foreach (var query in new[] { "limit=0", "limit=100000", "cursor=not-a-cursor", "expiringWithinDays=-5" })
        {
            var response = await client.GetAsync($"/api/v1/certificates?{query}", Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var missing = await client.GetAsync("/api/v1/certificates/999999999", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeOwnershipThenHideUntilImportedAgain()
    {
        var leaf = CertificateFactory.CreateLeaf(null, $"owned-{Guid.NewGuid():N}.example");
        using var client = _server.CreateClient();
        var imported = await (await UploadAsync(client, new() { ["owned.crt"] = leaf.RawData })).Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel);
        var id = imported!.Files[0].Certificates[0].Id;

        var patch = await client.PatchAsJsonAsync($"/api/v1/certificates/{id}", new { owner = "alice@example.com", division = "Payments", tags = new[] { "Prod", "pci" }, notes = "front door" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var details = await patch.Content.ReadFromJsonAsync<CertificateDetails>(Json, Cancel);
        Assert.Equal("alice@example.com", details!.Summary.Owner);
        Assert.Equal(["pci", "prod"], details.Tags);
        var tagged = await client.GetFromJsonAsync<CertificatePage>("/api/v1/certificates?tag=PROD&limit=1000", Json, Cancel);
        Assert.Contains(tagged!.Items, i => i.Id == id);

        var badTag = await client.PatchAsJsonAsync($"/api/v1/certificates/{id}", new { tags = new[] { "has space" } }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badTag.StatusCode);
        var longOwner = await client.PatchAsJsonAsync($"/api/v1/certificates/{id}", new { owner = new string('x', 300) }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, longOwner.StatusCode);
        Assert.Equal("application/problem+json", longOwner.Content.Headers.ContentType?.MediaType);
        var unchanged = await client.GetFromJsonAsync<CertificateDetails>($"/api/v1/certificates/{id}", Json, Cancel);
        Assert.Equal("alice@example.com", unchanged!.Summary.Owner);
        Assert.Equal(["pci", "prod"], unchanged.Tags);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/certificates/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/certificates/{id}", Cancel)).StatusCode);

        await UploadAsync(client, new() { ["owned-again.crt"] = leaf.RawData });
        var restored = await client.GetFromJsonAsync<CertificateDetails>($"/api/v1/certificates/{id}", Json, Cancel);
        Assert.Equal("alice@example.com", restored!.Summary.Owner);
    }

    [Fact]
    public async Task OpenApi_DocumentListsEveryInventoryRoute()
    {
        using var client = _server.CreateAnonymousClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/certificates", paths);
        Assert.Contains("/api/v1/certificates/{id}", paths);
        Assert.Contains("/api/v1/certificates/import", paths);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/", Cancel)).StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Dictionary<string, byte[]> files, string? password = null, bool expectContinue = false)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "files", name);
        }

        if (password is not null)
        {
            form.Add(new StringContent(password), "password");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates/import") { Content = form };
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request, Cancel);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x7f;
        return bytes;
    }
}

public sealed class SqliteInventoryApiTests(SqliteServerFixture fixture) : InventoryApiTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlInventoryApiTests(PostgreSqlServerFixture fixture) : InventoryApiTests(fixture), IClassFixture<PostgreSqlServerFixture>;
