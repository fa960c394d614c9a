using System.Security.Claims;
using Certitude.Features.Organization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Certitude.Web;

/// <summary>
/// Re-checks the account behind an open interactive page every minute, as each HTTP request already is: an expired
/// guest or a locked-out user loses a page they left open, not only their next request.
/// </summary>
internal sealed class RevalidatingAccessStateProvider(ILoggerFactory loggers, AccessService access)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var userId = authenticationState.User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return userId is not null && await access.ForUserAsync(userId, null, null, cancellationToken) is not null;
    }
}
