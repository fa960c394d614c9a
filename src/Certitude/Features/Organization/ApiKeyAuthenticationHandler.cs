using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Organization;

/// <summary>Authenticates <c>Authorization: Bearer ctk_...</c> API keys as the user who created them.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService apiKeys,
    AccessService access,
    UserManager<CertitudeUser> users,
    IUserClaimsPrincipalFactory<CertitudeUser> principals)
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
        var user = scope is null ? null : await users.FindByIdAsync(key!.Value.UserId);
        if (user is null)
        {
            return AuthenticateResult.Fail("Invalid, expired or revoked API key.");
        }

        var principal = await principals.CreateAsync(user);
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(ApiKeyClaim, key!.Value.KeyId.ToString()));
        Context.Items[AccessScope.HttpContextItem] = scope;
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
