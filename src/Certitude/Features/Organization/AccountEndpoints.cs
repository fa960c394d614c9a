using System.Security.Claims;
using Certitude.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Certitude.Features.Organization;

/// <summary>Sign-in, sign-out and password change for the browser (form posts from the UI), and the API's
/// view of the current user and their API keys.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapOrganization(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(OrganizationModule.SignInRateLimit).WithName("Login");
        account.MapPost("/accept-invitation", AcceptInvitationAsync).AllowAnonymous().RequireRateLimiting(OrganizationModule.SignInRateLimit).WithName("AcceptInvitationForm");
        account.MapPost("/login-two-factor", LoginTwoFactorAsync).AllowAnonymous().RequireRateLimiting(OrganizationModule.SignInRateLimit).WithName("LoginTwoFactor");
        account.MapPost("/two-factor/enable", EnableTwoFactorAsync).RequireAuthorization().WithName("EnableTwoFactor");
        account.MapPost("/two-factor/disable", DisableTwoFactorAsync).RequireAuthorization().WithName("DisableTwoFactor");
        account.MapPost("/logout", LogoutAsync).RequireAuthorization().WithName("Logout");
        account.MapPost("/change-password", ChangePasswordAsync).RequireAuthorization().WithName("ChangePassword");

        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Account");
        api.MapGet("/me", Me).WithName("GetCurrentUser").WithSummary("The signed-in user or the API key's owner");

        var keys = app.MapGroup("/api/v1/api-keys").RequireAuthorization().WithTags("API keys");
        keys.MapGet("/", ListKeysAsync).WithName("ListApiKeys").WithSummary("The current user's API keys");
        keys.MapPost("/", CreateKeyAsync).WithName("CreateApiKey").WithSummary("Create an API key; the key is in the response only");
        keys.MapDelete("/{id:guid}", RevokeKeyAsync).WithName("RevokeApiKey").WithSummary("Revoke an API key at once");
        return app;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        [FromForm] string userName, [FromForm] string password, [FromForm] string? returnUrl, SignInManager<CertitudeUser> signIn, TimeProvider time,
        Sso.SsoService sso)
    {
        if (sso.IsEnabled && sso.Current!.DisableLocalLogin)
        {
            return TypedResults.Redirect("/login?error=sso&reason=" + Uri.EscapeDataString("Sign in with " + sso.Current.DisplayName + "; passwords are turned off."));
        }

        var user = await signIn.UserManager.FindByNameAsync(userName);
        // Expired guests and service accounts never sign in with a password; they get the same answer as a wrong password.
        var mayUsePassword = user is { IsServiceAccount: false } && !(user.AccessExpiresAt <= time.GetUtcNow());
        var result = mayUsePassword ? await signIn.PasswordSignInAsync(user!, password, isPersistent: false, lockoutOnFailure: true) : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        if (result.RequiresTwoFactor)
        {
            return TypedResults.Redirect("/login/two-factor" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        }

        if (!result.Succeeded)
        {
            // One message for unknown user, wrong password and lockout: no user enumeration.
            return TypedResults.Redirect("/login?error=1" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl)));
        }

        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>Second step of sign-in for accounts with an authenticator app (TOTP, RFC 6238).</summary>
    private static async Task<RedirectHttpResult> LoginTwoFactorAsync([FromForm] string code, [FromForm] string? returnUrl, SignInManager<CertitudeUser> signIn)
    {
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(NormalizeCode(code), isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            return TypedResults.Redirect("/login/two-factor?error=1" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl)));
        }

        return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static async Task<RedirectHttpResult> EnableTwoFactorAsync([FromForm] string code, ClaimsPrincipal principal,
        UserManager<CertitudeUser> users, AccessScope access, Audit.AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal) ?? throw new NotFoundException("No such user.");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, NormalizeCode(code)))
        {
            return TypedResults.Redirect("/account/two-factor?error=" + Uri.EscapeDataString("That code is not right: check the time on your phone and try the next one."));
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await audit.RecordAsync(access.Actor, new Audit.AuditRecord("user.two-factor-enable", "user", user.Id), cancellationToken);
        return TypedResults.Redirect("/account/two-factor?enabled=1");
    }

    private static async Task<RedirectHttpResult> DisableTwoFactorAsync([FromForm] string code, ClaimsPrincipal principal,
        UserManager<CertitudeUser> users, AccessScope access, Audit.AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal) ?? throw new NotFoundException("No such user.");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, NormalizeCode(code)))
        {
            return TypedResults.Redirect("/account/two-factor?error=" + Uri.EscapeDataString("That code is not right."));
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await audit.RecordAsync(access.Actor, new Audit.AuditRecord("user.two-factor-disable", "user", user.Id), cancellationToken);
        return TypedResults.Redirect("/account/two-factor");
    }

    private static string NormalizeCode(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private static async Task<RedirectHttpResult> AcceptInvitationAsync(
        [FromForm] string token, [FromForm] string userName, [FromForm] string password, [FromForm] string confirmPassword,
        InvitationService invitations, HttpContext http, CancellationToken cancellationToken)
    {
        var back = InvitationService.LinkPrefix + Uri.EscapeDataString(token) + "?error=";
        if (password != confirmPassword)
        {
            return TypedResults.Redirect(back + Uri.EscapeDataString("The passwords do not match."));
        }

        try
        {
            await invitations.AcceptAsync(new AcceptInvitationRequest { Token = token, UserName = userName, Password = password },
                http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }
        catch (Exception e) when (e is DomainValidationException or ConflictException)
        {
            return TypedResults.Redirect(back + Uri.EscapeDataString(e.Message));
        }

        return TypedResults.Redirect("/login?welcome=1");
    }

    private static async Task<RedirectHttpResult> LogoutAsync(SignInManager<CertitudeUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.Redirect("/login");
    }

    private static async Task<RedirectHttpResult> ChangePasswordAsync(
        [FromForm] string currentPassword, [FromForm] string newPassword, [FromForm] string confirmPassword,
        ClaimsPrincipal principal, UserManager<CertitudeUser> users, SignInManager<CertitudeUser> signIn)
    {
        var user = await users.GetUserAsync(principal) ?? throw new NotFoundException("No such user.");
        if (newPassword != confirmPassword)
        {
            return TypedResults.Redirect("/account/password?error=" + Uri.EscapeDataString("The new passwords do not match."));
        }

        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            return TypedResults.Redirect("/account/password?error=" + Uri.EscapeDataString(string.Join(" ", result.Errors.Select(e => e.Description))));
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await signIn.RefreshSignInAsync(user);
        return TypedResults.Redirect("/");
    }

    private static async Task<Ok<CurrentUser>> Me(ClaimsPrincipal principal, UserManager<CertitudeUser> users)
    {
        var user = await users.GetUserAsync(principal) ?? throw new NotFoundException("No such user.");
        return TypedResults.Ok(new CurrentUser(user.Id, user.UserName ?? "", user.MustChangePassword));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListKeysAsync(ClaimsPrincipal principal, UserManager<CertitudeUser> users, ApiKeyService apiKeys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await apiKeys.ListAsync(users.GetUserId(principal)!, cancellationToken));

    private static async Task<Created<CreatedApiKey>> CreateKeyAsync(CreateApiKeyRequest request, AccessScope access, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        access.DemandNotReadOnly();
        var created = await apiKeys.CreateAsync(access.UserId!, request, access.Actor, cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{created.Id}", created);
    }

    private static async Task<NoContent> RevokeKeyAsync(Guid id, AccessScope access, ApiKeyService apiKeys, CancellationToken cancellationToken)
    {
        access.DemandNotReadOnly();
        await apiKeys.RevokeAsync(access.UserId!, id, access.Actor, cancellationToken);
        return TypedResults.NoContent();
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
