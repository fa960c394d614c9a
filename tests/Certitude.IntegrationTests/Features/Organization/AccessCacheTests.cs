using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>
/// The access cache (decision 0005) over the real API: a warm API-key request reads no access state, and every change
/// to who may do what — made through this node, another node, or the local CLI in another process — applies to the
/// very next request; expiry is checked against the clock on every request, cached or not.
/// </summary>
public abstract class AccessCacheTests(AccessCacheFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CertitudeServer _node = fixture.Node;
    private readonly CertitudeServer _otherNode = fixture.OtherNode;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WarmApiKeyRequest_ReadsNoAccessState_AndRecordingUseKeepsTheStamp()
    {
        using var admin = _node.CreateClient();
        var root = await RootAsync(admin);
        var person = await CreatePersonAsync(_node, admin, root.Id, OrganizationRole.User);
        var stamp = await StampAsync(_node);
        using var client = _node.CreateClient(person.Key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/divisions", Cancel)).StatusCode);

        var before = fixture.Queries.Count;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
        }

        Assert.Equal(before, fixture.Queries.Count);
        // The first request recorded the key's use, which changes nobody's access: the stamp stayed.
        await using var db = Contexts(_node).CreateDbContext();
        Assert.NotNull((await db.ApiKeys.SingleAsync(k => k.Id == person.Key.Id, Cancel)).LastUsedAt);
        Assert.Equal(stamp, await StampAsync(_node));
    }

    [Fact]
    public async Task RevokedKey_NextRequest_IsUnauthorized()
    {
        using var admin = _node.CreateClient();
        var person = await CreatePersonAsync(_node, admin, (await RootAsync(admin)).Id, OrganizationRole.User);
        using var client = _node.CreateClient(person.Key.Key);
        await WarmAsync(client, "/api/v1/divisions");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/api-keys/{person.Key.Id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
    }

    [Fact]
    public async Task LockedOutUser_NextRequest_IsUnauthorized()
    {
        using var admin = _node.CreateClient();
        var person = await CreatePersonAsync(_node, admin, (await RootAsync(admin)).Id, OrganizationRole.User);
        using var client = _node.CreateClient(person.Key.Key);
        await WarmAsync(client, "/api/v1/divisions");

        // Five wrong passwords lock the account (Identity's lockout, through the real sign-in form).
        using var browser = _node.CreateAnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            await BrowserForms.SignInAsync(browser, person.UserName, "Wrong-Password-123!", Cancel);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
    }

    [Fact]
    public async Task RoleRemoved_NextRequest_IsNotFound()
    {
        using var admin = _node.CreateClient();
        var division = await CreateDivisionAsync(admin, (await RootAsync(admin)).Id, "Role removed");
        var person = await CreatePersonAsync(_node, admin, division.Id, OrganizationRole.Manager);
        using var client = _node.CreateClient(person.Key.Key);
        await WarmAsync(client, $"/api/v1/divisions/{division.Id}");

        var role = person.Created.User.Roles.Single();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{person.Created.User.Id}/roles/{role.Id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/divisions/{division.Id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task DivisionMoved_NextRequest_FollowsTheNewTree()
    {
        using var admin = _node.CreateClient();
        var root = await RootAsync(admin);
        var administered = await CreateDivisionAsync(admin, root.Id, "Administered");
        var readable = await CreateDivisionAsync(admin, root.Id, "Readable");
        var hidden = await CreateDivisionAsync(admin, root.Id, "Hidden");
        var moving = await CreateDivisionAsync(admin, administered.Id, "Moving");
        var leaving = await CreateDivisionAsync(admin, administered.Id, "Leaving");
        var person = await CreatePersonAsync(_node, admin, administered.Id, OrganizationRole.Administrator);
        (await admin.PostAsJsonAsync($"/api/v1/users/{person.Created.User.Id}/roles", new { divisionId = readable.Id, role = "User" }, Cancel)).EnsureSuccessStatusCode();
        using var client = _node.CreateClient(person.Key.Key);
        await WarmAsync(client, $"/api/v1/divisions/{moving.Id}");
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/v1/divisions/{moving.Id}", new { description = "mine" }, Cancel)).StatusCode);
        await WarmAsync(client, $"/api/v1/divisions/{leaving.Id}");

        // Under a division where they are only a user: still visible, no longer theirs to change.
        (await admin.PostAsJsonAsync($"/api/v1/divisions/{moving.Id}/move", new { newParentId = readable.Id }, Cancel)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync($"/api/v1/divisions/{moving.Id}", new { description = "still mine?" }, Cancel)).StatusCode);
        // Under a division where they hold no role: gone.
        (await admin.PostAsJsonAsync($"/api/v1/divisions/{leaving.Id}/move", new { newParentId = hidden.Id }, Cancel)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/divisions/{leaving.Id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task ChangesThroughAnotherNode_AreSeenByThisNodeAtOnce()
    {
        using var admin = _node.CreateClient();
        using var otherAdmin = _otherNode.CreateClient();
        var division = await CreateDivisionAsync(admin, (await RootAsync(admin)).Id, "Other node");
        var revoked = await CreatePersonAsync(_node, admin, division.Id, OrganizationRole.User);
        var demoted = await CreatePersonAsync(_node, admin, division.Id, OrganizationRole.User);
        var locked = await CreatePersonAsync(_node, admin, division.Id, OrganizationRole.User);
        using var revokedClient = _node.CreateClient(revoked.Key.Key);
        using var demotedClient = _node.CreateClient(demoted.Key.Key);
        using var lockedClient = _node.CreateClient(locked.Key.Key);
        await WarmAsync(revokedClient, $"/api/v1/divisions/{division.Id}");
        await WarmAsync(demotedClient, $"/api/v1/divisions/{division.Id}");
        await WarmAsync(lockedClient, $"/api/v1/divisions/{division.Id}");

        // The key revokes itself through the other node's API.
        using (var onOtherNode = _otherNode.CreateClient(revoked.Key.Key))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await onOtherNode.DeleteAsync($"/api/v1/api-keys/{revoked.Key.Id}", Cancel)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedClient.GetAsync($"/api/v1/divisions/{division.Id}", Cancel)).StatusCode);

        var role = demoted.Created.User.Roles.Single();
        Assert.Equal(HttpStatusCode.NoContent, (await otherAdmin.DeleteAsync($"/api/v1/users/{demoted.Created.User.Id}/roles/{role.Id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await demotedClient.GetAsync($"/api/v1/divisions/{division.Id}", Cancel)).StatusCode);

        // A context of its own over the same database, with an interceptor that tells neither server: a third node.
        await using (var db = StandaloneContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == locked.Created.User.Id, Cancel);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
            await db.SaveChangesAsync(Cancel);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await lockedClient.GetAsync($"/api/v1/divisions/{division.Id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task KeyRevokedByTheLocalCli_NextRequest_IsUnauthorized()
    {
        using var admin = _node.CreateClient();
        var person = await CreatePersonAsync(_node, admin, (await RootAsync(admin)).Id, OrganizationRole.User);
        using var client = _node.CreateClient(person.Key.Key);
        await WarmAsync(client, "/api/v1/divisions");

        var storage = _node.Database.Storage;
        var revoke = await CliRunner.RunAsync(["apikeys", "revoke", person.Key.Id.ToString(), "--user", person.UserName,
            "--data", storage.DataDirectory, "--database", storage.ConnectionString]);
        Assert.True(revoke.ExitCode == 0, revoke.Stderr);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
    }

    [Fact]
    public async Task PassingTime_EndsCachedKeysAndAccounts_AtOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CertitudeServer.StartAsync(fixture.Provider, builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var admin = server.CreateClient();
        var root = await RootAsync(admin);
        var shortKey = await CreatePersonAsync(server, admin, root.Id, OrganizationRole.User, expiresInDays: 1);
        var shortAccess = await CreatePersonAsync(server, admin, root.Id, OrganizationRole.User);
        await using (var db = Contexts(server).CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == shortAccess.Created.User.Id, Cancel);
            user.AccessExpiresAt = time.GetUtcNow().AddHours(1);
            await db.SaveChangesAsync(Cancel);
        }

        using var shortKeyClient = server.CreateClient(shortKey.Key.Key);
        using var shortAccessClient = server.CreateClient(shortAccess.Key.Key);
        await WarmAsync(shortKeyClient, "/api/v1/divisions");
        await WarmAsync(shortAccessClient, "/api/v1/divisions");

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await shortAccessClient.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shortKeyClient.GetAsync("/api/v1/divisions", Cancel)).StatusCode);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await shortKeyClient.GetAsync("/api/v1/divisions", Cancel)).StatusCode);
    }

    private sealed record Person(string UserName, CreatedUser Created, CreatedApiKey Key);

    private static IDbContextFactory<CertitudeDbContext> Contexts(CertitudeServer server) =>
        server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>();

    private static async Task<long> StampAsync(CertitudeServer server)
    {
        await using var db = Contexts(server).CreateDbContext();
        return await db.AccessStamps.AsNoTracking().Select(s => s.Value).SingleAsync(Cancel);
    }

    private CertitudeDbContext StandaloneContext()
    {
        var storage = _node.Database.Storage;
        var interceptor = new AccessStampInterceptor();
        if (storage.Provider == DatabaseProvider.Sqlite)
        {
            var options = new DbContextOptionsBuilder<Certitude.Data.Sqlite.SqliteCertitudeDbContext>();
            StorageRegistration.ConfigureSqlite(options, storage.ConnectionString).AddInterceptors(interceptor);
            return new Certitude.Data.Sqlite.SqliteCertitudeDbContext(options.Options);
        }

        var postgres = new DbContextOptionsBuilder<Certitude.Data.PostgreSql.PostgreSqlCertitudeDbContext>();
        StorageRegistration.ConfigurePostgreSql(postgres, storage.ConnectionString).AddInterceptors(interceptor);
        return new Certitude.Data.PostgreSql.PostgreSqlCertitudeDbContext(postgres.Options);
    }

    /// <summary>Two requests: the first fills the cache, the second is answered from it.</summary>
    private static async Task WarmAsync(HttpClient client, string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Cancel)).StatusCode);
    }

    private static async Task<Person> CreatePersonAsync(CertitudeServer server, HttpClient admin, long divisionId, OrganizationRole role, int? expiresInDays = null)
    {
        var userName = "cache-" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { userName, email = $"{userName}@example.test", divisionId, role = role.ToString() }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedUser>(Json, Cancel))!;
        var key = await server.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(created.User.Id, new CreateApiKeyRequest { Name = "cache test", ExpiresInDays = expiresInDays }, null, Cancel);
        return new Person(userName, created, key);
    }

    private static async Task<DivisionDto> RootAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);

    private static async Task<DivisionDto> CreateDivisionAsync(HttpClient admin, long parentId, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId, name = $"{name} {Guid.NewGuid().ToString("N")[..6]}" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel))!;
    }
}

public sealed class SqliteAccessCacheTests(SqliteAccessCacheFixture fixture) : AccessCacheTests(fixture), IClassFixture<SqliteAccessCacheFixture>;

public sealed class PostgreSqlAccessCacheTests(PostgreSqlAccessCacheFixture fixture) : AccessCacheTests(fixture), IClassFixture<PostgreSqlAccessCacheFixture>;
