using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>Divisions, roles and division isolation over the real API, on both databases.</summary>
public abstract class OrganizationApiTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CertitudeServer _server = fixture.Server;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DivisionTree_CreateMoveAndRefuseCycles_KeepsTheTreeConsistent()
    {
        using var admin = _server.CreateClient();
        var root = await RootAsync(admin);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var europe = await CreateDivisionAsync(admin, root.Id, $"Europe {marker}", domains: ["eu.example.com"]);
        var payments = await CreateDivisionAsync(admin, europe.Id, "Payments");
        Assert.Equal($"Organization / Europe {marker} / Payments", payments.Path);
        Assert.Equal(ApprovalPolicy.OneApprover, payments.EffectiveApprovalPolicy);

        var cycle = await admin.PostAsJsonAsync($"/api/v1/divisions/{europe.Id}/move", new { newParentId = payments.Id }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
        Assert.Contains("under itself", await cycle.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var duplicate = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = europe.Id, name = "payments" }, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var badDomain = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = europe.Id, name = "Bad", domains = new[] { "not a domain" } }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, badDomain.StatusCode);

        var policy = await admin.PatchAsJsonAsync($"/api/v1/divisions/{europe.Id}", new { approvalPolicy = "TwoApprovers" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var inherited = await admin.GetFromJsonAsync<DivisionDto>($"/api/v1/divisions/{payments.Id}", Json, Cancel);
        Assert.Equal(ApprovalPolicy.TwoApprovers, inherited!.EffectiveApprovalPolicy);

        var moved = await admin.PostAsJsonAsync($"/api/v1/divisions/{payments.Id}/move", new { newParentId = root.Id }, Cancel);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("Organization / Payments", (await moved.Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel))!.Path);
    }

    [Fact]
    public async Task DeleteDivision_StillOwningCertificates_IsRefusedAndChangesNothing()
    {
        using var admin = _server.CreateClient();
        var division = await CreateDivisionAsync(admin, (await RootAsync(admin)).Id, "Busy " + Guid.NewGuid().ToString("N")[..6]);
        await UploadAsync(admin, division.Id, CertificateFactory.CreateLeaf(null, $"busy-{Guid.NewGuid():N}.example"));

        var refused = await admin.DeleteAsync($"/api/v1/divisions/{division.Id}", Cancel);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/divisions/{division.Id}", Cancel)).StatusCode);

        var empty = await CreateDivisionAsync(admin, division.Id, "Empty");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/divisions/{empty.Id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task ListCertificates_ByDivision_CoversItsSubtreeOnly()
    {
        using var admin = _server.CreateClient();
        var root = await RootAsync(admin);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var parent = await CreateDivisionAsync(admin, root.Id, $"Parent {marker}");
        var child = await CreateDivisionAsync(admin, parent.Id, "Child");
        var other = await CreateDivisionAsync(admin, root.Id, $"Other {marker}");
        await UploadAsync(admin, child.Id, CertificateFactory.CreateLeaf(null, $"deep.{marker}.example"));

        async Task<int> CountIn(long division) =>
            (await admin.GetFromJsonAsync<CertificatePage>($"/api/v1/certificates?text={marker}.example&division={division}", Json, Cancel))!.Items.Count;

        Assert.Equal(1, await CountIn(parent.Id));
        Assert.Equal(1, await CountIn(child.Id));
        Assert.Equal(0, await CountIn(other.Id));
    }

    [Fact]
    public async Task SiblingDivisions_SeeNothingOfEachOther()
    {
        using var admin = _server.CreateClient();
        var root = await RootAsync(admin);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var alpha = await CreateDivisionAsync(admin, root.Id, $"Alpha {marker}");
        var beta = await CreateDivisionAsync(admin, root.Id, $"Beta {marker}");
        using var alice = await _server.CreateUserClientAsync($"alice-{marker}", alpha.Id, OrganizationRole.User, Cancel);
        using var bob = await _server.CreateUserClientAsync($"bob-{marker}", beta.Id, OrganizationRole.Manager, Cancel);

        var secret = CertificateFactory.CreateLeaf(null, $"secret.alpha-{marker}.example");
        var imported = await UploadAsync(alice, null, secret);
        var id = imported.Files[0].Certificates[0].Id!.Value;
        var fingerprint = imported.Files[0].Certificates[0].Sha256Fingerprint;

        // Alice sees it; Bob, a manager of a sibling division, cannot find, count, search or open it.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/v1/certificates/{id}", Cancel)).StatusCode);
        foreach (var path in new[] { $"/api/v1/certificates/{id}", $"/api/v1/certificates/{fingerprint}", $"/api/v1/certificates/{id}/pem" })
        {
            var response = await bob.GetAsync(path, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        var search = await bob.GetFromJsonAsync<CertificatePage>($"/api/v1/certificates?text=secret.alpha-{marker}", Json, Cancel);
        Assert.Empty(search!.Items);
        var overview = await bob.GetFromJsonAsync<JsonElement>("/api/v1/certificates/overview", Cancel);
        Assert.Equal(0, overview.GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PatchAsJsonAsync($"/api/v1/certificates/{id}", new { owner = "bob" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/v1/certificates/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/divisions/{alpha.Id}", Cancel)).StatusCode);
        var bobsDivisions = await bob.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel);
        Assert.DoesNotContain(bobsDivisions!, d => d.Id == alpha.Id);

        // Bob importing the same certificate learns nothing about where it lives.
        var again = await UploadAsync(bob, null, secret);
        Assert.Null(again.Files[0].Certificates[0].Id);
        Assert.False(again.Files[0].Certificates[0].New);

        // A user may not delete (managers do), and may not import into a division that is not theirs.
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync($"/api/v1/certificates/{id}", Cancel)).StatusCode);
        var intoBeta = await UploadResponseAsync(alice, beta.Id, secret);
        Assert.Equal(HttpStatusCode.NotFound, intoBeta.StatusCode);
    }

    [Fact]
    public async Task RevokeRole_LastOrganizationAdministrator_IsRefused()
    {
        using var admin = _server.CreateClient();
        var users = await admin.GetFromJsonAsync<List<UserDto>>("/api/v1/users", Json, Cancel);
        var administrator = users!.Single(u => u.UserName == AdminBootstrapper.AdminUserName);
        var rootRole = administrator.Roles.Single(r => r.Role == OrganizationRole.Administrator && r.DivisionPath == DivisionService.RootName);

        var refused = await admin.DeleteAsync($"/api/v1/users/{administrator.Id}/roles/{rootRole.Id}", Cancel);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var after = await admin.GetFromJsonAsync<UserDto>($"/api/v1/users/{administrator.Id}", Json, Cancel);
        Assert.Contains(after!.Roles, r => r.Id == rootRole.Id);
    }

    [Fact]
    public async Task ReadOnlyApiKey_CanReadButNotChange()
    {
        using var admin = _server.CreateClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "reader", readOnly = true }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        using var reader = _server.CreateClient(created.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/certificates", Cancel)).StatusCode);
        var root = await RootAsync(reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/divisions", new { parentId = root.Id, name = "nope" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadResponseAsync(reader, null, CertificateFactory.CreateLeaf(null, "ro.example"))).StatusCode);
    }

    private static async Task<DivisionDto> RootAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);

    private static async Task<DivisionDto> CreateDivisionAsync(HttpClient client, long parentId, string name, string[]? domains = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/divisions", new { parentId, name, domains }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel))!;
    }

    private static async Task<ImportResponse> UploadAsync(HttpClient client, long? division, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var response = await UploadResponseAsync(client, division, certificate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel))!;
    }

    private static async Task<HttpResponseMessage> UploadResponseAsync(HttpClient client, long? division, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes(CertificateFactory.ToPem(certificate)));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
        form.Add(part, "files", "cert.pem");
        if (division is not null)
        {
            form.Add(new StringContent(division.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "division");
        }

        return await client.PostAsync("/api/v1/certificates/import", form, Cancel);
    }
}

public sealed class SqliteOrganizationApiTests(SqliteServerFixture fixture) : OrganizationApiTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlOrganizationApiTests(PostgreSqlServerFixture fixture) : OrganizationApiTests(fixture), IClassFixture<PostgreSqlServerFixture>;
