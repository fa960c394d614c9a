using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Certitude.Features.Organization;

/// <summary>
/// First run: creates the administrator account with a generated password, printed once to the console
/// (never to the log) and to be changed at first sign-in.
/// </summary>
public sealed class AdminBootstrapper(UserManager<CertitudeUser> users, DivisionService divisions, Audit.AuditLog audit,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Data.CertitudeDbContext> contexts, TimeProvider time)
{
    public const string AdminUserName = "admin";

    /// <summary>Creates the organization (root division) and its first administrator on a fresh database.
    /// Returns the generated password when it created the account, otherwise null.</summary>
    public async Task<string?> EnsureAdministratorAsync()
    {
        var rootId = await divisions.EnsureRootAsync(CancellationToken.None);
        if (users.Users.Any())
        {
            return null;
        }

        var password = GeneratePassword();
        var admin = new CertitudeUser { UserName = AdminUserName, MustChangePassword = true, CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not create the administrator: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await using var db = await contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.RoleAssignments.Add(new RoleAssignment { UserId = admin.Id, DivisionId = rootId, Role = OrganizationRole.Administrator, CreatedAt = time.GetUtcNow() });
        await audit.AppendAsync(db, Audit.Actor.System, new Audit.AuditRecord("user.create", "user", admin.Id, rootId,
            new { admin.UserName, role = nameof(OrganizationRole.Administrator), firstRun = true }), CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return password;
    }

    /// <summary>Sets a new generated password (the data folder owner's recovery path); returns it.</summary>
    public async Task<string> ResetPasswordAsync(string userName)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new Hosting.NotFoundException($"No user '{userName}'.");
        var password = GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        user.MustChangePassword = true;
        await users.SetLockoutEndDateAsync(user, null);
        await users.UpdateAsync(user);
        return password;
    }

    /// <summary>20 characters from an alphabet without look-alikes, with each character class Identity requires.</summary>
    internal static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 16) + "-"
            + RandomNumberGenerator.GetString("ABCDEFGHJKMNPQRSTUVWXYZ", 1)
            + RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz", 1)
            + RandomNumberGenerator.GetString("23456789", 1);
    }
}
