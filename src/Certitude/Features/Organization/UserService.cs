using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>People and service accounts, and the roles they hold per division. Every change is audited.</summary>
public sealed class UserService(IDbContextFactory<CertitudeDbContext> contexts, AccessService access, AuditLog audit,
    IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Users the caller administers: everyone for organization administrators, otherwise users holding a role
    /// in a division the caller administers.</summary>
    public async Task<IReadOnlyList<UserDto>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tree = await access.TreeAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await db.RoleAssignments.AsNoTracking().ToListAsync(cancellationToken);
        var byUser = roles.ToLookup(r => r.UserId);
        var now = time.GetUtcNow();
        return users
            .Where(u => scope.IsOrganizationAdministrator || byUser[u.Id].Any(r => scope.CanAdminister(r.DivisionId)))
            .Select(u => ToDto(u, byUser[u.Id].Where(r => scope.IsOrganizationAdministrator || scope.CanAdminister(r.DivisionId)), tree, now))
            .ToList();
    }

    public async Task<CreatedUser> CreateAsync(AccessScope scope, CreateUserRequest request, CancellationToken cancellationToken)
    {
        RequireAdministrator(scope, request.DivisionId, await access.TreeAsync(cancellationToken));
        if (request.Role == OrganizationRole.Guest)
        {
            throw new DomainValidationException("role", "Guests join through an invitation, which sets their expiry.");
        }

        await using var services = scopes.CreateAsyncScope();
        var users = services.ServiceProvider.GetRequiredService<UserManager<CertitudeUser>>();
        var user = new CertitudeUser
        {
            UserName = request.UserName.Trim(), Email = request.Email?.Trim(), DisplayName = request.DisplayName?.Trim(),
            IsServiceAccount = request.ServiceAccount, CreatedAt = time.GetUtcNow(), LockoutEnabled = true, MustChangePassword = !request.ServiceAccount,
        };
        var password = request.ServiceAccount ? null : AdminBootstrapper.GeneratePassword();
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            var duplicate = created.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail");
            var message = string.Join(" ", created.Errors.Select(e => e.Description));
            throw duplicate ? new ConflictException(message) : new DomainValidationException("userName", message);
        }

        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RoleAssignments.Add(new RoleAssignment { UserId = user.Id, DivisionId = request.DivisionId, Role = request.Role, CreatedAt = time.GetUtcNow() });
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("user.create", "user", user.Id, request.DivisionId,
            new { user.UserName, user.Email, user.IsServiceAccount, role = request.Role.ToString(), divisionId = request.DivisionId }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedUser(await GetAsync(scope, user.Id, cancellationToken), password);
    }

    public async Task<UserDto> GetAsync(AccessScope scope, string userId, CancellationToken cancellationToken) =>
        (await ListAsync(scope, cancellationToken)).FirstOrDefault(u => u.Id == userId) ?? throw new NotFoundException("No such user.");

    public async Task<UserDto> AssignRoleAsync(AccessScope scope, string userId, AssignRoleRequest request, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        RequireAdministrator(scope, request.DivisionId, tree);
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("No such user.");
        var existing = await db.RoleAssignments.Where(r => r.UserId == userId).ToListAsync(cancellationToken);
        if (request.Role == OrganizationRole.Guest || existing.Any(r => r.Role == OrganizationRole.Guest))
        {
            throw new DomainValidationException("role", "A guest holds only the guest role of their invitation; invite or create a regular account instead.");
        }

        if (existing.Any(r => r.DivisionId == request.DivisionId && r.Role == request.Role))
        {
            return await GetAsync(scope, userId, cancellationToken);
        }

        db.RoleAssignments.Add(new RoleAssignment { UserId = userId, DivisionId = request.DivisionId, Role = request.Role, CreatedAt = time.GetUtcNow() });
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("role.grant", "user", userId, request.DivisionId,
            new { user.UserName, role = request.Role.ToString(), divisionId = request.DivisionId }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(scope, userId, cancellationToken);
    }

    public async Task RevokeRoleAsync(AccessScope scope, string userId, long roleId, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var role = await db.RoleAssignments.FirstOrDefaultAsync(r => r.Id == roleId && r.UserId == userId, cancellationToken);
        if (role is null || !scope.HasAnyRole(role.DivisionId))
        {
            throw new NotFoundException("No such role assignment.");
        }

        RequireAdministrator(scope, role.DivisionId, tree);
        if (role.Role == OrganizationRole.Administrator && role.DivisionId == tree.Root?.Id
            && await db.RoleAssignments.CountAsync(r => r.Role == OrganizationRole.Administrator && r.DivisionId == role.DivisionId, cancellationToken) == 1)
        {
            throw new ConflictException("This is the organization's last administrator: make someone else administrator first.");
        }

        db.RoleAssignments.Remove(role);
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("role.revoke", "user", userId, role.DivisionId,
            new { role = role.Role.ToString(), divisionId = role.DivisionId }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Sets a new one-time password (the user chooses their own at next sign-in) and unlocks the account.</summary>
    public async Task<string> ResetPasswordAsync(AccessScope scope, string userId, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        var target = await GetAsync(scope, userId, cancellationToken);
        if (!scope.IsOrganizationAdministrator && !target.Roles.All(r => scope.CanAdminister(r.DivisionId)))
        {
            throw new ForbiddenException("Only an administrator of every division the user belongs to may reset their password.");
        }

        await using var services = scopes.CreateAsyncScope();
        var password = await services.ServiceProvider.GetRequiredService<AdminBootstrapper>().ResetPasswordAsync(target.UserName);
        await audit.RecordAsync(scope.Actor, new AuditRecord("user.reset-password", "user", userId), cancellationToken);
        return password;
    }

    private static void RequireAdministrator(AccessScope scope, long divisionId, DivisionTree tree)
    {
        if (tree.Find(divisionId) is null || !scope.HasAnyRole(divisionId))
        {
            throw new NotFoundException($"No division {divisionId}.");
        }

        if (!scope.CanAdminister(divisionId))
        {
            throw new ForbiddenException("Only an administrator of the division may manage its users.");
        }
    }

    private static UserDto ToDto(CertitudeUser u, IEnumerable<RoleAssignment> roles, DivisionTree tree, DateTimeOffset now) =>
        new(u.Id, u.UserName ?? "", u.Email, u.DisplayName, u.IsServiceAccount, u.AccessExpiresAt, u.LockoutEnd > now,
            roles.Select(r => new RoleDto(r.Id, r.DivisionId, tree.PathName(r.DivisionId), r.Role)).ToList());
}
