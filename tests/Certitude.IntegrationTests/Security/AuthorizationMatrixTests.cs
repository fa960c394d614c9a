using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Security;

/// <summary>
/// Every API endpoint, found in the app's own endpoint metadata, called as every kind of caller, against one declared
/// table of outcomes. An endpoint without a row fails the test, so nothing new ships without deciding who may call it.
/// </summary>
public abstract class AuthorizationMatrixTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Password = "Matrix-Password-123!";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CertitudeServer _server = null!;
    private readonly Dictionary<Caller, HttpClient> _clients = [];
    private World _world = null!;

    /// <summary>Who calls. Division A has a manager, a user, an auditor and guests; B is A's sibling.</summary>
    private enum Caller { Anonymous, Admin, Manager, User, Auditor, Guest, ExpiredGuest, RevokedKey, ReadOnlyKey, Sibling }

    private sealed record World(long RootId, long A, long A1, long B, string UserEmail, long CertificateInA, string SpareUserId, long IssuedInA, long RequestInA)
    {
        public long ScanInA { get; init; }
        public long RunInA { get; init; }
        public long EndpointInA { get; init; }
        public long Agent { get; init; }
    }

    /// <summary>One row: how to build the request (fresh objects where the call consumes them) and the status each
    /// caller gets. Anonymous, expired guests and revoked keys get 401 unless the row says otherwise.</summary>
    private sealed record Row(Func<AuthorizationMatrixTests, Task<HttpRequestMessage>> Request, string Expected);

    private static readonly Dictionary<string, Row> Table = new()
    {
        ["GET /api/v1/certificates/"] = new(t => Get("/api/v1/certificates"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/certificates/overview"] = new(t => Get("/api/v1/certificates/overview"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/certificates/issuers"] = new(t => Get("/api/v1/certificates/issuers"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/certificates/{id}"] = new(t => Get($"/api/v1/certificates/{t._world.CertificateInA}"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["GET /api/v1/certificates/{id}/pem"] = new(t => Get($"/api/v1/certificates/{t._world.CertificateInA}/pem"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["POST /api/v1/certificates/import"] = new(t => Task.FromResult(Upload(null)), "Admin:200 Manager:200 User:200 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:200"),
        ["PATCH /api/v1/certificates/{id}"] = new(t => Send(HttpMethod.Patch, $"/api/v1/certificates/{t._world.CertificateInA}", new { notes = "checked" }),
            "Admin:200 Manager:200 User:200 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["DELETE /api/v1/certificates/{id}"] = new(async t => Delete($"/api/v1/certificates/{await t.FreshCertificateInAAsync()}"),
            "Admin:204 Manager:204 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/me"] = new(t => Get("/api/v1/me"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/api-keys/"] = new(t => Get("/api/v1/api-keys"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["POST /api/v1/api-keys/"] = new(t => Send(HttpMethod.Post, "/api/v1/api-keys", new { name = "matrix" }), "Admin:201 Manager:201 User:201 Auditor:201 Guest:403 ReadOnlyKey:403 Sibling:201"),
        ["DELETE /api/v1/api-keys/{id:guid}"] = new(t => Task.FromResult(Delete($"/api/v1/api-keys/{Guid.NewGuid()}")), "Admin:404 Manager:404 User:404 Auditor:404 Guest:404 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/divisions/"] = new(t => Get("/api/v1/divisions"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/divisions/{id:long}"] = new(t => Get($"/api/v1/divisions/{t._world.A}"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:404"),
        ["POST /api/v1/divisions/"] = new(t => Send(HttpMethod.Post, "/api/v1/divisions", new { parentId = t._world.A, name = Unique("Sub") }),
            "Admin:201 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["PATCH /api/v1/divisions/{id:long}"] = new(t => Send(HttpMethod.Patch, $"/api/v1/divisions/{t._world.A}", new { description = "matrix" }),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/divisions/{id:long}/move"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/divisions/{await t.FreshDivisionInAAsync()}/move", new { newParentId = t._world.A1 }),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["DELETE /api/v1/divisions/{id:long}"] = new(async t => Delete($"/api/v1/divisions/{await t.FreshDivisionInAAsync()}"),
            "Admin:204 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/users/"] = new(t => Get("/api/v1/users"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/users/{id}"] = new(t => Get($"/api/v1/users/{t._world.SpareUserId}"), "Admin:200 Manager:404 User:404 Auditor:404 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["POST /api/v1/users/"] = new(t => Send(HttpMethod.Post, "/api/v1/users", new { userName = Unique("new"), divisionId = t._world.A, role = "User" }),
            "Admin:201 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/users/{id}/roles"] = new(t => Send(HttpMethod.Post, $"/api/v1/users/{t._world.SpareUserId}/roles", new { divisionId = t._world.A1, role = "Auditor" }),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["DELETE /api/v1/users/{id}/roles/{roleId:long}"] = new(async t => Delete($"/api/v1/users/{t._world.SpareUserId}/roles/{await t.FreshRoleAsync()}"),
            "Admin:204 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/users/{id}/reset-password"] = new(t => Send(HttpMethod.Post, $"/api/v1/users/{t._world.SpareUserId}/reset-password", null),
            "Admin:200 Manager:404 User:404 Auditor:404 Guest:404 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/invitations/"] = new(t => Get("/api/v1/invitations"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["POST /api/v1/invitations/"] = new(t => Send(HttpMethod.Post, "/api/v1/invitations", new { email = "someone@example.test", divisionId = t._world.A }),
            "Admin:201 Manager:201 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:404"),
        ["DELETE /api/v1/invitations/{id:guid}"] = new(async t => Delete($"/api/v1/invitations/{await t.FreshInvitationAsync()}"),
            "Admin:204 Manager:204 User:404 Auditor:404 Guest:404 ReadOnlyKey:404 Sibling:404"),
        // Public by design: anyone holding a link may try it; a wrong token is a plain 400.
        ["POST /api/v1/invitations/accept"] = new(t => Send(HttpMethod.Post, "/api/v1/invitations/accept", new { token = "not-a-token", userName = "x", password = Password }),
            "Anonymous:400 Admin:400 Manager:400 User:400 Auditor:400 Guest:400 ExpiredGuest:400 RevokedKey:400 ReadOnlyKey:400 Sibling:400"),

        ["GET /api/v1/settings/sso/"] = new(t => Get("/api/v1/settings/sso"), "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["PUT /api/v1/settings/sso/"] = new(t => Send(HttpMethod.Put, "/api/v1/settings/sso", new { enabled = false }),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),

        ["GET /api/v1/audit/"] = new(t => Get("/api/v1/audit"), "Admin:200 Manager:403 User:403 Auditor:200 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["GET /api/v1/audit/export"] = new(t => Get("/api/v1/audit/export"), "Admin:200 Manager:403 User:403 Auditor:200 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["POST /api/v1/audit/verify"] = new(t => Send(HttpMethod.Post, "/api/v1/audit/verify", null), "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:200 Sibling:403"),

        ["GET /api/v1/authorities/"] = new(t => Get("/api/v1/authorities"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/authorities/{name}"] = new(t => Get($"/api/v1/authorities/{IssuingCa}"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["POST /api/v1/authorities/"] = new(t => Send(HttpMethod.Post, "/api/v1/authorities", new { name = Unique("ca"), commonName = "Matrix CA" }),
            "Admin:201 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        // Well-formed for the endpoint's validation, refused by the service: administrators learn what is wrong (400).
        ["POST /api/v1/authorities/import"] = new(t => Send(HttpMethod.Post, "/api/v1/authorities/import", new { name = Unique("imported"), certificatePem = "not pem", keyPem = "not pem" }),
            "Admin:400 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        ["GET /api/v1/profiles/"] = new(t => Get("/api/v1/profiles"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),

        ["GET /api/v1/requests/"] = new(t => Get("/api/v1/requests"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/requests/approval-times"] = new(t => Get("/api/v1/requests/approval-times"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["POST /api/v1/requests/"] = new(t => Send(HttpMethod.Post, "/api/v1/requests", NewRequest(t._world.A)),
            "Admin:201 Manager:201 User:201 Auditor:403 Guest:201 ReadOnlyKey:403 Sibling:404"),
        ["GET /api/v1/requests/{id:long}"] = new(t => Get($"/api/v1/requests/{t._world.RequestInA}"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        // Each approver gets only their own link; those who cannot approve the request get nothing (409), others do not see it (404).
        ["GET /api/v1/requests/{id:long}/approval-message"] = new(t => Get($"/api/v1/requests/{t._world.RequestInA}/approval-message"),
            "Admin:200 Manager:200 User:409 Auditor:409 Guest:404 ReadOnlyKey:409 Sibling:404"),
        ["POST /api/v1/requests/{id:long}/approve"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/requests/{await t.FreshRequestInAAsync()}/approve", null),
            "Admin:200 Manager:200 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/requests/{id:long}/reject"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/requests/{await t.FreshRequestInAAsync()}/reject", new { reason = "matrix" }),
            "Admin:200 Manager:200 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/certificates/{id:long}/download"] = new(t => Get($"/api/v1/certificates/{t._world.CertificateInA}/download?format=fullchain"),
            "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["GET /api/v1/certificates/{id:long}/issuance"] = new(t => Get($"/api/v1/certificates/{t._world.IssuedInA}/issuance"),
            "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        // The issued certificate's key was generated by the server; its owner (the user), managers and administrators get it, once each.
        ["POST /api/v1/certificates/{id:long}/pfx"] = new(t => Send(HttpMethod.Post, $"/api/v1/certificates/{t._world.IssuedInA}/pfx", new { password = Password }),
            "Admin:200 Manager:200 User:200 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/certificates/{id:long}/renew"] = new(t => Send(HttpMethod.Post, $"/api/v1/certificates/{t._world.IssuedInA}/renew", new { }),
            "Admin:201 Manager:201 User:201 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/certificates/{id:long}/reissue"] = new(t => Send(HttpMethod.Post, $"/api/v1/certificates/{t._world.IssuedInA}/reissue", new { dnsNames = new[] { "other.a.example" } }),
            "Admin:201 Manager:201 User:201 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/certificates/{id:long}/revoke"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/certificates/{await t.FreshIssuedInAAsync()}/revoke", new { reason = "Superseded" }),
            "Admin:200 Manager:200 User:200 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),

        ["GET /api/v1/discovery/settings"] = new(t => Get("/api/v1/discovery/settings"), "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["PUT /api/v1/discovery/settings"] = new(t => Send(HttpMethod.Put, "/api/v1/discovery/settings", new { wildcardSpreadThreshold = 5 }),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        // Scans: any role in the division reads them (the others do not see them); its managers and administrators change and run them.
        ["GET /api/v1/discovery/scans"] = new(t => Get("/api/v1/discovery/scans"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["POST /api/v1/discovery/scans"] = new(t => Send(HttpMethod.Post, "/api/v1/discovery/scans", NewScan(t._world.A)),
            "Admin:201 Manager:201 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["GET /api/v1/discovery/scans/{id:long}"] = new(t => Get($"/api/v1/discovery/scans/{t._world.ScanInA}"),
            "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["PUT /api/v1/discovery/scans/{id:long}"] = new(t => Send(HttpMethod.Put, $"/api/v1/discovery/scans/{t._world.ScanInA}", new { ports = "443" }),
            "Admin:200 Manager:200 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["DELETE /api/v1/discovery/scans/{id:long}"] = new(async t => Delete($"/api/v1/discovery/scans/{await t.FreshScanInAAsync()}"),
            "Admin:204 Manager:204 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["POST /api/v1/discovery/scans/{id:long}/run"] = new(t => Send(HttpMethod.Post, $"/api/v1/discovery/scans/{t._world.ScanInA}/run", null),
            "Admin:202 Manager:202 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["GET /api/v1/discovery/runs"] = new(t => Get("/api/v1/discovery/runs"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/discovery/runs/{id:long}"] = new(t => Get($"/api/v1/discovery/runs/{t._world.RunInA}"),
            "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["POST /api/v1/discovery/runs/{id:long}/cancel"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/discovery/runs/{await t.FreshRunInAAsync()}/cancel", null),
            "Admin:200 Manager:200 User:403 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        // Results of a scan run elsewhere come in like imported certificates: users and above in the division.
        ["POST /api/v1/discovery/uploads"] = new(t => Send(HttpMethod.Post, "/api/v1/discovery/uploads", new { targets = new[] { "127.0.0.1" }, ports = "443", divisionId = t._world.A, results = Array.Empty<object>() }),
            "Admin:201 Manager:201 User:201 Auditor:403 Guest:404 ReadOnlyKey:403 Sibling:404"),
        ["GET /api/v1/discovery/endpoints"] = new(t => Get("/api/v1/discovery/endpoints"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/discovery/endpoints/{id:long}"] = new(t => Get($"/api/v1/discovery/endpoints/{t._world.EndpointInA}"),
            "Admin:200 Manager:200 User:200 Auditor:200 Guest:404 ReadOnlyKey:200 Sibling:404"),
        ["GET /api/v1/discovery/changes"] = new(t => Get("/api/v1/discovery/changes"), "Admin:200 Manager:200 User:200 Auditor:200 Guest:200 ReadOnlyKey:200 Sibling:200"),
        ["GET /api/v1/discovery/agents"] = new(t => Get("/api/v1/discovery/agents"), "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["POST /api/v1/discovery/agents/{id:long}/disable"] = new(t => Send(HttpMethod.Post, $"/api/v1/discovery/agents/{t._world.Agent}/disable", null),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        ["POST /api/v1/discovery/agents/{id:long}/enable"] = new(t => Send(HttpMethod.Post, $"/api/v1/discovery/agents/{t._world.Agent}/enable", null),
            "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        ["GET /api/v1/discovery/agent-tokens"] = new(t => Get("/api/v1/discovery/agent-tokens"), "Admin:200 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:200 Sibling:403"),
        ["POST /api/v1/discovery/agent-tokens"] = new(t => Send(HttpMethod.Post, "/api/v1/discovery/agent-tokens", new { zone = "matrix" }),
            "Admin:201 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        ["POST /api/v1/discovery/agent-tokens/{id:long}/revoke"] = new(async t => await Send(HttpMethod.Post, $"/api/v1/discovery/agent-tokens/{await t.FreshTokenAsync()}/revoke", null),
            "Admin:204 Manager:403 User:403 Auditor:403 Guest:403 ReadOnlyKey:403 Sibling:403"),
        // The agent protocol is anonymous to ASP.NET and authenticates agents itself: no user credential, of any kind, is one.
        ["POST /api/v1/agent/register"] = new(t => Send(HttpMethod.Post, "/api/v1/agent/register", new { token = "cte_not-a-token", zone = "matrix" }), ""),
        ["POST /api/v1/agent/lease"] = new(t => Send(HttpMethod.Post, "/api/v1/agent/lease", null), ""),
        ["POST /api/v1/agent/chunks/{id:long}/results"] = new(t => Send(HttpMethod.Post, "/api/v1/agent/chunks/1/results", new { leaseToken = Guid.NewGuid(), results = Array.Empty<object>() }), ""),
        ["POST /api/v1/agent/chunks/{id:long}/complete"] = new(t => Send(HttpMethod.Post, "/api/v1/agent/chunks/1/complete", new { leaseToken = Guid.NewGuid(), probedEndpoints = 0 }), ""),
    };

    [Fact]
    public void EveryApiEndpoint_HasARowInTheTable()
    {
        var endpoints = ApiEndpoints();
        Assert.Empty(endpoints.Except(Table.Keys));
        Assert.Empty(Table.Keys.Except(endpoints));
    }

    [Fact]
    public async Task EveryEndpoint_AsEveryCaller_GetsTheDeclaredOutcome()
    {
        var mismatches = new List<string>();
        foreach (var endpoint in ApiEndpoints().Order(StringComparer.Ordinal))
        {
            var row = Table[endpoint];
            var expected = Expectations(row.Expected);
            foreach (var caller in Enum.GetValues<Caller>())
            {
                using var request = await row.Request(this);
                using var response = await _clients[caller].SendAsync(request, Cancel);
                if ((int)response.StatusCode != expected[caller])
                {
                    mismatches.Add($"{endpoint} as {caller}: expected {expected[caller]}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    public async ValueTask InitializeAsync()
    {
        _server = await CertitudeServer.StartAsync(provider);
        var admin = _server.CreateClient();
        _clients[Caller.Admin] = admin;
        _clients[Caller.Anonymous] = _server.CreateAnonymousClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null).Id;
        var a = await CreateDivisionAsync(admin, root, "A");
        (await admin.PatchAsJsonAsync($"/api/v1/divisions/{a}", new { domains = new[] { "a.example" } }, Cancel)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/authorities", new { name = "matrix-root", commonName = "Matrix Root" }, Cancel)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/authorities", new { name = IssuingCa, commonName = "Matrix Issuing", parent = "matrix-root" }, Cancel)).EnsureSuccessStatusCode();
        var a1 = await CreateDivisionAsync(admin, a, "A1");
        var b = await CreateDivisionAsync(admin, root, "B");

        _clients[Caller.Manager] = await KeyClientAsync(await CreateUserAsync(admin, "manager", a, "Manager"));
        var user = await CreateUserAsync(admin, "user", a, "User");
        _clients[Caller.User] = await KeyClientAsync(user);
        _clients[Caller.Auditor] = await KeyClientAsync(await CreateUserAsync(admin, "auditor", a, "Auditor"));
        _clients[Caller.Sibling] = await KeyClientAsync(await CreateUserAsync(admin, "sibling", b, "User"));
        var spare = await CreateUserAsync(admin, "spare", a, "User");
        var adminId = (await admin.GetFromJsonAsync<CurrentUser>("/api/v1/me", Json, Cancel))!.Id;
        _clients[Caller.ReadOnlyKey] = await KeyClientAsync(adminId, readOnly: true);
        var revoked = await _server.Services.GetRequiredService<ApiKeyService>().CreateAsync(adminId, new CreateApiKeyRequest { Name = "revoked" }, null, Cancel);
        await _server.Services.GetRequiredService<ApiKeyService>().RevokeAsync(adminId, revoked.Id, null, Cancel);
        _clients[Caller.RevokedKey] = _server.CreateClient(revoked.Key);
        _clients[Caller.Guest] = await GuestClientAsync(admin, a, "guest");
        _clients[Caller.ExpiredGuest] = await GuestClientAsync(admin, a, "expired");
        await using (var db = _server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext())
        {
            await db.Users.Where(u => u.UserName == "expired").ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Cancel);
            await AccessStamp.BumpAsync(db, Cancel);
        }

        // The certificate in A belongs to the user, who may therefore edit it.
        var response = await _clients[Caller.User].SendAsync(Upload(null), Cancel);
        var imported = await response.Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel);
        var certificate = imported!.Files[0].Certificates[0].Id!.Value;
        (await admin.PatchAsJsonAsync($"/api/v1/certificates/{certificate}", new { owner = "user@example.test" }, Cancel)).EnsureSuccessStatusCode();
        _world = new World(root, a, a1, b, "user@example.test", certificate, spare, 0, 0);
        _world = _world with { RequestInA = await FreshRequestInAAsync() };
        _world = _world with { IssuedInA = await FreshIssuedInAAsync() };
        await CreateDiscoveryWorldAsync(admin);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private HashSet<string> ApiEndpoints() => _server.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
        .ToHashSet(StringComparer.Ordinal);

    private static Dictionary<Caller, int> Expectations(string declared)
    {
        var result = Enum.GetValues<Caller>().ToDictionary(c => c, _ => 401);
        foreach (var pair in declared.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (caller, status) = (pair.Split(':')[0], int.Parse(pair.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
            result[Enum.Parse<Caller>(caller)] = status;
        }

        return result;
    }

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static HttpRequestMessage Delete(string path) => new(HttpMethod.Delete, path);

    private static Task<HttpRequestMessage> Send(HttpMethod method, string path, object? body) =>
        Task.FromResult(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });

    private static HttpRequestMessage Upload(long? division)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes(CertificateFactory.ToPem(CertificateFactory.CreateLeaf(null, Unique("leaf") + ".example"))));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
        form.Add(part, "files", "leaf.pem");
        if (division is not null)
        {
            form.Add(new StringContent(division.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "division");
        }

        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates/import") { Content = form };
    }

    private async Task<long> FreshCertificateInAAsync()
    {
        var response = await _clients[Caller.Admin].SendAsync(Upload(_world.A), Cancel);
        return (await response.Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel))!.Files[0].Certificates[0].Id!.Value;
    }

    private const string IssuingCa = "matrix-issuing";

    private static object NewRequest(long division) => new { divisionId = division, generateKey = "EcP256", dnsNames = new[] { $"{Unique("host")}.a.example" } };

    /// <summary>A pending request of the user's in A (A asks for one approver, inherited from the organization).</summary>
    private async Task<long> FreshRequestInAAsync()
    {
        var response = await _clients[Caller.User].PostAsJsonAsync("/api/v1/requests", NewRequest(_world.A), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RequestDto>(Json, Cancel))!.Id;
    }

    /// <summary>A certificate issued for the user in A (a manager approved it), with a server-generated key.</summary>
    private async Task<long> FreshIssuedInAAsync()
    {
        var id = await FreshRequestInAAsync();
        var response = await _clients[Caller.Manager].PostAsync($"/api/v1/requests/{id}/approve", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RequestDto>(Json, Cancel))!.CertificateId!.Value;
    }

    /// <summary>A saved scan in A with a run, an endpoint found in A, and a registered agent. Scans run in a zone no agent
    /// serves, so nothing is scanned while the matrix runs.</summary>
    private async Task CreateDiscoveryWorldAsync(HttpClient admin)
    {
        var scan = await FreshScanInAAsync();
        var run = await FreshRunInAAsync(scan);
        var leaf = CertificateFactory.CreateLeaf(null, "endpoint.a.example");
        var upload = await admin.PostAsJsonAsync("/api/v1/discovery/uploads", new
        {
            targets = new[] { "127.0.0.1" }, ports = "443", divisionId = _world.A,
            results = new[] { new ScanResultDto("127.0.0.1", 443, null, "none", "TLSv1.3", null, true, [Convert.ToBase64String(leaf.RawData)], null, 1, null, null, DateTimeOffset.UtcNow) },
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var endpoints = await admin.GetFromJsonAsync<EndpointPage>("/api/v1/discovery/endpoints?q=127.0.0.1", Json, Cancel);
        var registered = await _server.CreateAnonymousClient().PostAsJsonAsync("/api/v1/agent/register",
            new AgentRegistrationInput((await CreateTokenAsync()).Secret, "matrix agent", "matrix", "1.0"), Cancel);
        var agent = (await registered.Content.ReadFromJsonAsync<AgentRegistrationDto>(Json, Cancel))!.AgentId;
        _world = _world with { ScanInA = scan, RunInA = run, EndpointInA = endpoints!.Items.Single().Id, Agent = agent };
    }

    private static object NewScan(long division) => new { name = Unique("scan"), divisionId = division, targets = new[] { "127.0.0.1" }, ports = "443", zone = "matrix" };

    private async Task<long> FreshScanInAAsync()
    {
        var response = await _clients[Caller.Admin].PostAsJsonAsync("/api/v1/discovery/scans", NewScan(_world.A), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ScanDefinitionDto>(Json, Cancel))!.Id;
    }

    private async Task<long> FreshRunInAAsync(long? scan = null)
    {
        var response = await _clients[Caller.Admin].PostAsync($"/api/v1/discovery/scans/{scan ?? _world.ScanInA}/run", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ScanRunDto>(Json, Cancel))!.Id;
    }

    private async Task<CreatedEnrollmentTokenDto> CreateTokenAsync()
    {
        var response = await _clients[Caller.Admin].PostAsJsonAsync("/api/v1/discovery/agent-tokens", new { zone = "matrix" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedEnrollmentTokenDto>(Json, Cancel))!;
    }

    private async Task<long> FreshTokenAsync() => (await CreateTokenAsync()).Token.Id;

    private Task<long> FreshDivisionInAAsync() => CreateDivisionAsync(_clients[Caller.Admin], _world.A, Unique("Spare"));

    private async Task<long> FreshRoleAsync()
    {
        var division = await FreshDivisionInAAsync();
        var response = await _clients[Caller.Admin].PostAsJsonAsync($"/api/v1/users/{_world.SpareUserId}/roles", new { divisionId = division, role = "User" }, Cancel);
        var user = await response.Content.ReadFromJsonAsync<UserDto>(Json, Cancel);
        return user!.Roles.Single(r => r.DivisionId == division && r.Role == OrganizationRole.User).Id;
    }

    private async Task<Guid> FreshInvitationAsync()
    {
        var created = await (await _clients[Caller.Admin].PostAsJsonAsync("/api/v1/invitations", new { email = "spare@example.test", divisionId = _world.A }, Cancel))
            .Content.ReadFromJsonAsync<CreatedInvitation>(Json, Cancel);
        return created!.Id;
    }

    private static async Task<long> CreateDivisionAsync(HttpClient admin, long parent, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = parent, name }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel))!.Id;
    }

    private static async Task<string> CreateUserAsync(HttpClient admin, string userName, long division, string role)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { userName, email = $"{userName}@example.test", divisionId = division, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedUser>(Json, Cancel))!.User.Id;
    }

    private async Task<HttpClient> KeyClientAsync(string userId, bool readOnly = false)
    {
        var key = await _server.Services.GetRequiredService<ApiKeyService>().CreateAsync(userId, new CreateApiKeyRequest { Name = "matrix", ReadOnly = readOnly }, null, Cancel);
        return _server.CreateClient(key.Key);
    }

    private async Task<HttpClient> GuestClientAsync(HttpClient admin, long division, string userName)
    {
        var invitation = await (await admin.PostAsJsonAsync("/api/v1/invitations", new { email = $"{userName}@example.test", divisionId = division }, Cancel))
            .Content.ReadFromJsonAsync<CreatedInvitation>(Json, Cancel);
        var token = invitation!.Link[InvitationService.LinkPrefix.Length..];
        using var anonymous = _server.CreateAnonymousClient();
        (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, userName, password = Password }, Cancel)).EnsureSuccessStatusCode();
        var client = _server.CreateAnonymousClient();
        Assert.Equal("/", await BrowserForms.SignInAsync(client, userName, Password, Cancel));
        return client;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}

public sealed class SqliteAuthorizationMatrixTests() : AuthorizationMatrixTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlAuthorizationMatrixTests() : AuthorizationMatrixTests(DatabaseProvider.PostgreSql);
