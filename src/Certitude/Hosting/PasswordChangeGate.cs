using Certitude.Features.Organization;
using Microsoft.AspNetCore.Identity;

namespace Certitude.Hosting;

/// <summary>Sends a browser user who must change their password (the first-run administrator) to the
/// change-password page before any other page. The API is not gated: API keys are created after the change.</summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    private const string ChangePasswordPath = "/account/password";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (context.User.Identity?.IsAuthenticated == true
            && HttpMethods.IsGet(context.Request.Method)
            && !path.StartsWithSegments("/api") && !path.StartsWithSegments(ChangePasswordPath)
            && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") && !path.StartsWithSegments("/_blazor")
            && context.User.Identity.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName
            && !Path.HasExtension(path.Value))
        {
            // Resolved here, not injected into InvokeAsync: UserManager brings a database context along, which every
            // API call would otherwise create for nothing.
            var users = context.RequestServices.GetRequiredService<UserManager<CertitudeUser>>();
            var user = await users.GetUserAsync(context.User);
            if (user?.MustChangePassword == true)
            {
                context.Response.Redirect(ChangePasswordPath);
                return;
            }
        }

        await next(context);
    }
}
