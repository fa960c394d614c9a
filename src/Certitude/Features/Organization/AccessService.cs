using Certitude.Data;
using Certitude.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>Resolves what a user (or one of their API keys) may do.</summary>
public sealed class AccessService(IDbContextFactory<CertitudeDbContext> contexts, TimeProvider time)
{
    public async Task<DivisionTree> TreeAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
    }

    /// <summary>The scope of a signed-in user, or of one of their API keys; null when the account may not act now
    /// (unknown, expired guest, locked out).</summary>
    public async Task<AccessScope?> ForUserAsync(string userId, Guid? apiKeyId, string? sourceAddress, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var now = time.GetUtcNow();
        if (user is null || user.AccessExpiresAt <= now || user.LockoutEnd > now)
        {
            return null;
        }

        ApiKey? key = null;
        if (apiKeyId is { } id)
        {
            key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken);
            if (key is null || key.RevokedAt is not null || key.ExpiresAt <= now)
            {
                return null;
            }
        }

        var tree = new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
        var assignments = await db.RoleAssignments.AsNoTracking().Where(r => r.UserId == userId).ToListAsync(cancellationToken);
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
            ? new Actor("user", user.Id, user.UserName ?? user.Id, sourceAddress)
            : new Actor("api-key", user.Id, $"{user.UserName} (key {key.Name})", sourceAddress);
        return new AccessScope(actor, isOrganizationAdministrator, key?.ReadOnly ?? false, byRole, user.Email, guestDivision);
    }
}
