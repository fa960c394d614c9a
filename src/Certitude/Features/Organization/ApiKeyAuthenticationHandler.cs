using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Organization;

/// <summary>Authenticates <c>Authorization: Bearer ctk_...</c> API keys as the user who created them. Key, scope and
/// claims come from the access cache: one read of the access stamp when nothing changed.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService apiKeys,
    AccessService access,
    AccessCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyClaim = "certitude:api-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress?.ToString();
        var key = await apiKeys.ValidateAsync(header["Bearer ".Length..].Trim(), address, Context.RequestAborted);
        // The owner's account must still be able to act: an expired guest's keys stop with the guest.
        var scope = key is null ? null : await access.ForUserAsync(key.Value.UserId, key.Value.KeyId, address, Context.RequestAborted);
        var identity = scope is null ? null : await cache.IdentityAsync(key!.Value.UserId, () => CreateIdentityAsync(key.Value.UserId), Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("Invalid, expired or revoked API key.");
        }

        identity.AddClaim(new Claim(ApiKeyClaim, key!.Value.KeyId.ToString()));
        Context.Items[AccessScope.HttpContextItem] = scope;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>On a cache miss only: Identity's user manager and principal factory bring a scoped DbContext with them,
    /// which a cached request does not need to create.</summary>
    private async Task<ClaimsIdentity?> CreateIdentityAsync(string userId)
    {
        var users = Context.RequestServices.GetRequiredService<UserManager<CertitudeUser>>();
        var principals = Context.RequestServices.GetRequiredService<IUserClaimsPrincipalFactory<CertitudeUser>>();
        return await users.FindByIdAsync(userId) is { } user ? (ClaimsIdentity?)(await principals.CreateAsync(user)).Identity : null;
    }
}
