using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Features.Organization;
using Certitude.IntegrationTests.Support;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>Single sign-on against a real OpenID Connect provider started by the test (not a mock of the handler).</summary>
public sealed class SingleSignOnTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIn_ThroughProvider_CreatesTheUserWithRolesFromGroups_ThenLocalLoginCanBeTurnedOff()
    {
        await using var provider = await OidcProvider.StartAsync();
        var server = fixture.Server;
        using var admin = server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var platform = await (await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = root.Id, name = "Platform SSO" }, Cancel))
            .Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel);
        var configured = await admin.PutAsJsonAsync("/api/v1/settings/sso", new
        {
            enabled = true, displayName = "Test IdP", authority = provider.Authority.ToString(), clientId = OidcProvider.ClientId,
            clientSecret = OidcProvider.ClientSecret, mappings = new[] { new { group = "platform-team", divisionId = platform!.Id, role = "Manager" } },
        }, Cancel);
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        var shown = await configured.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(shown.GetProperty("hasClientSecret").GetBoolean());
        Assert.DoesNotContain(OidcProvider.ClientSecret, shown.GetRawText(), StringComparison.Ordinal);

        provider.NextUser = ("subject-42", "dana@example.test", "dana", ["platform-team", "unrelated"]);
        using var browser = BrowserWithRedirects(server);
        var landed = await browser.GetAsync("/account/sso", Cancel);
        // Where the browser ends up; on a failure the address carries the reason.
        Assert.True(landed.RequestMessage!.RequestUri!.AbsolutePath == "/", Uri.UnescapeDataString(landed.RequestMessage.RequestUri.ToString()));
        var me = await browser.GetFromJsonAsync<CurrentUser>("/api/v1/me", Json, Cancel);
        Assert.Equal("dana", me!.UserName);
        var users = await admin.GetFromJsonAsync<List<UserDto>>("/api/v1/users", Json, Cancel);
        var dana = users!.Single(u => u.UserName == "dana");
        Assert.Contains(dana.Roles, r => r.DivisionId == platform.Id && r.Role == OrganizationRole.Manager);

        // The same person again, now without the group: the role granted from it goes.
        provider.NextUser = ("subject-42", "dana@example.test", "dana", []);
        using (var again = BrowserWithRedirects(server))
        {
            await again.GetAsync("/account/sso", Cancel);
            Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/me", Cancel)).StatusCode);
        }

        dana = (await admin.GetFromJsonAsync<List<UserDto>>("/api/v1/users", Json, Cancel))!.Single(u => u.UserName == "dana");
        Assert.DoesNotContain(dana.Roles, r => r.Role == OrganizationRole.Manager);

        // A provider that refuses: a clear page, no session.
        provider.RefuseNext = true;
        using (var refused = BrowserWithRedirects(server))
        {
            var page = await refused.GetAsync("/account/sso", Cancel);
            Assert.Equal("/login", page.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("error=sso", page.RequestMessage.RequestUri.Query, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await refused.GetAsync("/api/v1/me", Cancel)).StatusCode);
        }

        // Local sign-in turned off: passwords are refused, with a pointer to the provider.
        var off = await admin.PutAsJsonAsync("/api/v1/settings/sso", new
        {
            enabled = true, displayName = "Test IdP", authority = provider.Authority.ToString(), clientId = OidcProvider.ClientId, disableLocalLogin = true,
        }, Cancel);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        using var local = server.CreateAnonymousClient();
        var location = await BrowserForms.SignInAsync(local, "admin", server.AdminPassword, Cancel);
        Assert.Contains("error=sso", location, StringComparison.Ordinal);

        var restore = await admin.PutAsJsonAsync("/api/v1/settings/sso", new { enabled = false }, Cancel);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
    }

    [Fact]
    public async Task Settings_BadAuthorityOrNonAdministrator_AreRefused()
    {
        var server = fixture.Server;
        using var admin = server.CreateClient();
        var insecure = await admin.PutAsJsonAsync("/api/v1/settings/sso", new { enabled = true, authority = "http://idp.example.com/", clientId = "x" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, insecure.StatusCode);
        var incomplete = await admin.PutAsJsonAsync("/api/v1/settings/sso", new { enabled = true }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
    }

    private static HttpClient BrowserWithRedirects(CertitudeServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true, MaxAutomaticRedirections = 10 }) { BaseAddress = server.BaseAddress };
}
