using System.Security.Claims;
using Certitude.Features.Organization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Certitude.Web;

/// <summary>The signed-in user's <see cref="AccessScope"/> for pages, resolved afresh on each call so role changes
/// and guest expiry apply at once, also in a long-lived interactive circuit.</summary>
public sealed class PageAccess(AuthenticationStateProvider authentication, AccessService access)
{
    public async Task<AccessScope> ScopeAsync(CancellationToken cancellationToken = default)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return (userId is null ? null : await access.ForUserAsync(userId, null, null, cancellationToken))
            ?? throw new UnauthorizedAccessException("The session has ended.");
    }
}
