using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>A guest is invited, accepts once, signs in with a session cookie, sees nothing but their own division's
/// requests, and is locked out the moment their access expires.</summary>
public abstract class GuestInvitationTests(ServerFixture fixture)
{
    private const string GuestPassword = "Guest-Password-123!";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CertitudeServer _server = fixture.Server;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Guest_AcceptSignInAndExpire_IsLockedOutAtOnce()
    {
        using var admin = _server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var division = await (await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = root.Id, name = $"Guests {marker}" }, Cancel))
            .Content.ReadFromJsonAsync<DivisionDto>(Json, Cancel);
        var invitation = await (await admin.PostAsJsonAsync("/api/v1/invitations", new { email = $"guest-{marker}@example.test", divisionId = division!.Id }, Cancel))
            .Content.ReadFromJsonAsync<CreatedInvitation>(Json, Cancel);
        Assert.StartsWith(InvitationService.LinkPrefix, invitation!.Link, StringComparison.Ordinal);
        var token = invitation.Link[InvitationService.LinkPrefix.Length..];

        using var anonymous = _server.CreateAnonymousClient();
        var accept = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, userName = $"guest-{marker}", password = GuestPassword }, Cancel);
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var reused = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, userName = $"guest2-{marker}", password = GuestPassword }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("not valid", await reused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        using var guest = _server.CreateAnonymousClient();
        Assert.True(await SignInAsync(guest, $"guest-{marker}", GuestPassword));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync("/api/v1/me", Cancel)).StatusCode);
        var visible = await guest.GetFromJsonAsync<CertificatePage>("/api/v1/certificates", Json, Cancel);
        Assert.Empty(visible!.Items);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.PostAsJsonAsync("/api/v1/api-keys", new { name = "guest key" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.PostAsJsonAsync("/api/v1/divisions", new { parentId = division.Id, name = "x" }, Cancel)).StatusCode);

        // Access ends: the very next request with the same session is refused, and signing in again fails.
        await using (var db = _server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext())
        {
            await db.Users.Where(u => u.UserName == $"guest-{marker}")
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Cancel);
            await AccessStamp.BumpAsync(db, Cancel);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await guest.GetAsync("/api/v1/me", Cancel)).StatusCode);
        using var again = _server.CreateAnonymousClient();
        Assert.False(await SignInAsync(again, $"guest-{marker}", GuestPassword));
    }

    [Fact]
    public async Task ExpiredInvitationAndExpiredKey_AreRefusedAndChangeNothing()
    {
        using var admin = _server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var invitation = await (await admin.PostAsJsonAsync("/api/v1/invitations", new { email = $"late-{marker}@example.test", divisionId = root.Id, accessDays = 1 }, Cancel))
            .Content.ReadFromJsonAsync<CreatedInvitation>(Json, Cancel);
        var key = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "short-lived", expiresInDays = 1 }, Cancel)).Content.ReadFromJsonAsync<CreatedApiKey>(Json, Cancel);
        await using (var db = _server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext())
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.Invitations.Where(i => i.Id == invitation!.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, past), Cancel);
            await db.ApiKeys.Where(k => k.Id == key!.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, past), Cancel);
            await AccessStamp.BumpAsync(db, Cancel);
        }

        using var anonymous = _server.CreateAnonymousClient();
        var accept = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept",
            new { token = invitation!.Link[InvitationService.LinkPrefix.Length..], userName = $"late-{marker}", password = GuestPassword }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, accept.StatusCode);
        var users = await admin.GetFromJsonAsync<List<UserDto>>("/api/v1/users", Json, Cancel);
        Assert.DoesNotContain(users!, u => u.UserName == $"late-{marker}");

        using var expired = _server.CreateClient(key!.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/v1/certificates", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Invitation_ByPlainUser_IsRefused()
    {
        using var admin = _server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostAsJsonAsync("/api/v1/users", new { userName = $"plain-{marker}", divisionId = root.Id, role = "User" }, Cancel))
            .Content.ReadFromJsonAsync<CreatedUser>(Json, Cancel);
        using var user = _server.CreateAnonymousClient();
        Assert.True(await SignInAsync(user, $"plain-{marker}", created!.OneTimePassword!));
        var refused = await user.PostAsJsonAsync("/api/v1/invitations", new { email = "x@example.test", divisionId = root.Id }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static async Task<bool> SignInAsync(HttpClient client, string userName, string password) =>
        !(await BrowserForms.SignInAsync(client, userName, password, Cancel)).Contains("error", StringComparison.Ordinal);
}

public sealed class SqliteGuestInvitationTests(SqliteServerFixture fixture) : GuestInvitationTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlGuestInvitationTests(PostgreSqlServerFixture fixture) : GuestInvitationTests(fixture), IClassFixture<PostgreSqlServerFixture>;
