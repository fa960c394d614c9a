using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certitude.IntegrationTests.Support;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on 127.0.0.1 for single sign-on tests: authorization code
/// flow with PKCE, signed ID tokens, one confidential client. Whoever arrives at the authorization endpoint is
/// signed in as <see cref="NextUser"/>, or refused when <see cref="RefuseNext"/> is set.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "certitude";
    public const string ClientSecret = "provider-client-secret";

    private readonly WebApplication _app;

    private OidcProvider(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    public Uri Authority { get; }

    public (string Subject, string Email, string UserName, string[] Groups) NextUser { get; set; } = ("subject-1", "sso@example.test", "sso-user", []);

    public bool RefuseNext { get; set; }

    public static async Task<OidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.Profile, Scopes.Email);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            // No database for clients and tokens: the test's one client is checked by the two handlers below.
            server.EnableDegradedMode();
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is null || !new Uri(context.RedirectUri).IsLoopback)
                {
                    context.Reject(Errors.InvalidRequest, "Unexpected redirect URI.");
                }

                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        OidcProvider? provider = null;
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
            if (provider!.RefuseNext)
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var (subject, email, userName, groups) = provider.NextUser;
            var identity = new ClaimsIdentity(authenticationType: "test-provider", Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, subject));
            identity.AddClaim(new Claim(Claims.Email, email));
            identity.AddClaim(new Claim(Claims.PreferredUsername, userName));
            foreach (var group in groups)
            {
                identity.AddClaim(new Claim("groups", group));
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        await app.StartAsync();
        provider = new OidcProvider(app, new Uri(app.Urls.First()));
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
