using Certitude.Features.Audit;

namespace Certitude.Features.Organization;

/// <summary>Resolves what a user (or one of their API keys) may do.</summary>
public sealed class AccessService(AccessCache cache, TimeProvider time)
{
    /// <summary>The division tree (this node's copy, current as of the access stamp). Shared: never change its divisions.</summary>
    public Task<DivisionTree> TreeAsync(CancellationToken cancellationToken) => cache.TreeAsync(cancellationToken);

    /// <summary>The scope of a signed-in user, or of one of their API keys; null when the account may not act now
    /// (unknown, expired guest, locked out; for a key also revoked or expired).</summary>
    public async Task<AccessScope?> ForUserAsync(string userId, Guid? apiKeyId, string? sourceAddress, CancellationToken cancellationToken)
    {
        var grant = await cache.GrantAsync(userId, apiKeyId, cancellationToken);
        return grant is not null && grant.IsUsableAt(time.GetUtcNow()) ? grant.Scope.WithSourceAddress(sourceAddress) : null;
    }

    /// <summary>The user's role assignments expanded down the tree and, for a key, narrowed to its divisions and
    /// read-only flag. Without a source address: each request adds its own.</summary>
    internal static AccessScope Resolve(CertitudeUser user, ApiKey? key, DivisionTree tree, IReadOnlyList<RoleAssignment> assignments)
    {
        var narrowTo = key is { Divisions.Count: > 0 } ? key.Divisions.SelectMany(tree.SubtreeOf).ToHashSet() : null;

        var byRole = new Dictionary<OrganizationRole, HashSet<long>>();
        foreach (var assignment in assignments.Where(a => tree.Find(a.DivisionId) is not null))
        {
            var set = byRole.TryGetValue(assignment.Role, out var existing) ? existing : byRole[assignment.Role] = [];
            set.UnionWith(tree.SubtreeOf(assignment.DivisionId).Where(d => narrowTo?.Contains(d) ?? true));
        }

        var isOrganizationAdministrator = narrowTo is null && tree.Root is { } root
            && assignments.Any(a => a.Role == OrganizationRole.Administrator && a.DivisionId == root.Id);
        var guestDivision = assignments.FirstOrDefault(a => a.Role == OrganizationRole.Guest)?.DivisionId;
        var actor = key is null
            ? new Actor("user", user.Id, user.UserName ?? user.Id)
            : new Actor("api-key", user.Id, $"{user.UserName} (key {key.Name})");
        return new AccessScope(actor, isOrganizationAdministrator, key?.ReadOnly ?? false, byRole, user.Email, guestDivision);
    }
}
