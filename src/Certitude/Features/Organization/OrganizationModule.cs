using Certitude.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Organization;

public static class OrganizationModule
{
    public const string PolicyScheme = "Certitude";

    /// <summary>Rate limit on password sign-in and invitation acceptance, per client address.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>Identity over the Certitude database; services only (the local CLI uses these too).</summary>
    public static IServiceCollection AddOrganizationCore(this IServiceCollection services)
    {
        services.AddIdentityCore<CertitudeUser>(identity =>
            {
                identity.Password.RequiredLength = 12;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<CertitudeDbContext>()
            .AddDefaultTokenProviders();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AccessCache>();
        services.AddSingleton<AccessService>();
        services.AddSingleton<DivisionService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<InvitationService>();
        services.AddSingleton<Sso.SsoService>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddScoped<AdminBootstrapper>();
        return services;
    }

    /// <summary>Browser sign-in by cookie and automation by API key, behind one policy scheme.</summary>
    public static IServiceCollection AddOrganizationAuthentication(this IServiceCollection services)
    {
        services.AddIdentityCore<CertitudeUser>().AddSignInManager();
        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Cookie or API key", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddAuthentication().AddOpenIdConnect(Sso.SsoService.Scheme, "Single sign-on", _ => { });
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>, Sso.SsoOptionsSetup>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "certitude.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/account/logout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // The API answers 401/403 problems; only pages redirect to the login page.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        services.AddAuthorization();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInRateLimit, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    /// <summary>
    /// Each HTTP request reads the access stamp once for authentication and everything after it (see
    /// <see cref="AccessCache"/>). Not for Blazor's circuit connections and other WebSockets: they last as long as the
    /// page, and their work must keep reading the stamp.
    /// </summary>
    public static IApplicationBuilder UseAccessSnapshots(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.WebSockets.IsWebSocketRequest || context.Request.Path.StartsWithSegments("/_blazor"))
        {
            await next(context);
            return;
        }

        using (context.RequestServices.GetRequiredService<AccessCache>().BeginRequest())
        {
            await next(context);
        }
    });

    /// <summary>Every request re-checks the account behind a session: an expired guest, a locked-out or deleted user
    /// is signed out at once, not when the cookie expires.</summary>
    private static async Task ValidateSessionAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        var userId = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var access = context.HttpContext.RequestServices.GetRequiredService<AccessService>();
        var scope = userId is null ? null
            : await access.ForUserAsync(userId, null, context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.RequestAborted);
        if (scope is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        context.HttpContext.Items[AccessScope.HttpContextItem] = scope;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
