using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Certitude.Features.Organization.Sso;

public static class SsoEndpoints
{
    public static IEndpointRouteBuilder MapSso(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/sso", (SsoService sso) => sso.IsEnabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/account/sso-complete" }, [SsoService.Scheme])
                : Results.Redirect("/login?error=sso&reason=" + Uri.EscapeDataString("Single sign-on is not configured.")))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/account/sso-complete", CompleteAsync).AllowAnonymous().ExcludeFromDescription();

        var settings = app.MapGroup("/api/v1/settings/sso").RequireAuthorization().WithTags("Single sign-on");
        settings.MapGet("/", (SsoService sso, AccessScope access) => TypedResults.Ok(sso.Get(access)))
            .WithName("GetSsoSettings").WithSummary("The OpenID Connect provider, group mappings and whether local sign-in is allowed");
        settings.MapPut("/", async (SsoSettingsInput input, SsoService sso, AccessScope access, CancellationToken ct) => TypedResults.Ok(await sso.UpdateAsync(access, input, ct)))
            .WithName("UpdateSsoSettings").WithSummary("Configure single sign-on (organization administrators)");
        return app;
    }

    private static async Task<RedirectHttpResult> CompleteAsync(HttpContext http, SsoService sso, SignInManager<CertitudeUser> signIn, CancellationToken cancellationToken)
    {
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var user = external.Succeeded ? await sso.CompleteSignInAsync(external.Principal, http.Connection.RemoteIpAddress?.ToString(), cancellationToken) : null;
        if (user is null || user.AccessExpiresAt <= DateTimeOffset.UtcNow || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return TypedResults.Redirect("/login?error=sso&reason=" + Uri.EscapeDataString("The identity provider's answer could not be used."));
        }

        await signIn.SignInAsync(user, isPersistent: false, SsoService.LoginProvider);
        return TypedResults.Redirect("/");
    }
}
