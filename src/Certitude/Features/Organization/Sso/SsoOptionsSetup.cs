using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Certitude.Features.Organization.Sso;

/// <summary>Fills the OpenID Connect handler's options from the stored settings (they change at run time; see
/// <see cref="SsoService.UpdateAsync"/>). Authorization code flow with PKCE, the answer in the query string.</summary>
internal sealed class SsoOptionsSetup(SsoService sso) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != SsoService.Scheme)
        {
            return;
        }

        var settings = sso.Current ?? new SsoSettings();
        // Unconfigured, the handler still needs well-formed options; sign-in is refused before it is ever asked.
        options.Authority = settings.Authority ?? "https://sso.invalid/";
        options.ClientId = settings.ClientId ?? "unconfigured";
        options.ClientSecret = sso.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.CallbackPath = "/signin-oidc";
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = false;
        options.RequireHttpsMetadata = !(Uri.TryCreate(options.Authority, UriKind.Absolute, out var url) && url.IsLoopback);
        options.Scope.Clear();
        foreach (var scope in settings.Scopes.Union(["openid"]))
        {
            options.Scope.Add(scope);
        }

        // The provider answers with a top-level GET redirect (query response mode), so Lax cookies come back and need no
        // SameSite=None; Secure follows the request, as for the session cookie (serve Certitude over HTTPS).
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events.OnRemoteFailure = context =>
        {
            // A provider that answers with an error, or with something malformed: a clear page, not a stack trace.
            context.Response.Redirect("/login?error=sso&reason=" + Uri.EscapeDataString(context.Failure?.Message ?? "sign-in failed"));
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}
