using System.Security.Cryptography;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>Guest invitations: managers and administrators invite; the guest accepts once, gets the Guest role in one
/// division and an account that stops working when its access expires.</summary>
public sealed class InvitationService(IDbContextFactory<CertitudeDbContext> contexts, AccessService access, AuditLog audit,
    IServiceScopeFactory scopes, TimeProvider time)
{
    public const string LinkPrefix = "/invite/";

    public async Task<CreatedInvitation> CreateAsync(AccessScope scope, InviteGuestRequest request, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        if (tree.Find(request.DivisionId) is null || !scope.HasAnyRole(request.DivisionId))
        {
            throw new NotFoundException($"No division {request.DivisionId}.");
        }

        if (!scope.CanManage(request.DivisionId) || scope.UserId is null)
        {
            throw new ForbiddenException("Only managers and administrators of the division invite guests.");
        }

        if (request.AccessDays is < 1 or > 90)
        {
            throw new DomainValidationException("accessDays", "Guest access lasts 1 to 90 days.");
        }

        var token = Base64UrlToken();
        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(now), TokenHash = Hash(token), Email = request.Email.Trim(), DivisionId = request.DivisionId,
            InvitedByUserId = scope.UserId, CreatedAt = now, ExpiresAt = now.AddDays(request.AccessDays), AccessDays = request.AccessDays,
        };
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Invitations.Add(invitation);
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("guest.invite", "invitation", invitation.Id.ToString(), request.DivisionId,
            new { invitation.Email, invitation.AccessDays, invitation.ExpiresAt }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedInvitation(invitation.Id, invitation.Email, invitation.DivisionId, invitation.ExpiresAt, LinkPrefix + token);
    }

    public async Task<IReadOnlyList<InvitationDto>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        await using var db = contexts.CreateDbContext();
        var invitations = await db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return invitations.Where(i => scope.CanManage(i.DivisionId))
            .Select(i => new InvitationDto(i.Id, i.Email, i.DivisionId, tree.PathName(i.DivisionId), i.CreatedAt, i.ExpiresAt, i.AccessDays, i.AcceptedAt, i.RevokedAt))
            .ToList();
    }

    public async Task RevokeAsync(AccessScope scope, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null || !scope.CanManage(invitation.DivisionId))
        {
            throw new NotFoundException("No such invitation.");
        }

        invitation.RevokedAt ??= time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("guest.invite-revoke", "invitation", id.ToString(), invitation.DivisionId), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Is this link usable? (For the page that shows the sign-up form; says nothing about why not.)</summary>
    public async Task<bool> IsUsableAsync(string token, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await FindUsableAsync(db, token, cancellationToken) is not null;
    }

    /// <summary>Creates the guest's account from a valid, unused, unexpired link.</summary>
    public async Task<UserDto> AcceptAsync(AcceptInvitationRequest request, string? sourceAddress, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var invitation = await FindUsableAsync(db, request.Token, cancellationToken)
            ?? throw new DomainValidationException("token", "This invitation link is not valid: it was used already, revoked, or has expired.");

        await using var services = scopes.CreateAsyncScope();
        var users = services.ServiceProvider.GetRequiredService<UserManager<CertitudeUser>>();
        var now = time.GetUtcNow();
        var user = new CertitudeUser
        {
            UserName = request.UserName.Trim(), Email = invitation.Email, CreatedAt = now, LockoutEnabled = true,
            AccessExpiresAt = now.AddDays(invitation.AccessDays),
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            var message = string.Join(" ", created.Errors.Select(e => e.Description));
            throw created.Errors.Any(e => e.Code is "DuplicateUserName") ? new ConflictException(message) : new DomainValidationException("password", message);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claimed inside the transaction, and only if still unclaimed: two concurrent accepts cannot both win.
        var claimed = await db.Invitations.Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedUserId, user.Id), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await users.DeleteAsync(user);
            throw new DomainValidationException("token", "This invitation link is not valid: it was used already, revoked, or has expired.");
        }

        db.RoleAssignments.Add(new RoleAssignment { UserId = user.Id, DivisionId = invitation.DivisionId, Role = OrganizationRole.Guest, CreatedAt = now });
        await audit.AppendAsync(db, new Actor("user", user.Id, user.UserName, sourceAddress), new AuditRecord("guest.accept", "user", user.Id,
            invitation.DivisionId, new { invitation = invitation.Id, user.UserName, user.Email, user.AccessExpiresAt }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var tree = await access.TreeAsync(cancellationToken);
        return new UserDto(user.Id, user.UserName, user.Email, null, false, user.AccessExpiresAt, false,
            [new RoleDto(0, invitation.DivisionId, tree.PathName(invitation.DivisionId), OrganizationRole.Guest)]);
    }

    private async Task<Invitation?> FindUsableAsync(CertitudeDbContext db, string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        return await db.Invitations.AsNoTracking()
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken);
    }

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
