using System.Security.Claims;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Hosting;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Organization.Sso;

/// <summary>Single sign-on settings and what happens when someone comes back from the provider.</summary>
public sealed class SsoService(
    IDbContextFactory<CertitudeDbContext> contexts,
    IDataProtectionProvider protection,
    IOptionsMonitorCache<OpenIdConnectOptions> optionsCache,
    AccessService access,
    AuditLog audit,
    IServiceScopeFactory scopes,
    TimeProvider time)
{
    public const string Scheme = "sso";
    public const string LoginProvider = "oidc";
    private const string SsoSource = "sso";

    private readonly IDataProtector _secrets = protection.CreateProtector("certitude.sso.client-secret");
    private volatile SsoSettings? _current;

    /// <summary>The stored settings, cached; null when none were ever saved.</summary>
    public SsoSettings? Current
    {
        get
        {
            if (_current is null)
            {
                using var db = contexts.CreateDbContext();
                _current = db.SsoSettings.AsNoTracking().FirstOrDefault() ?? new SsoSettings();
            }

            return _current;
        }
    }

    public bool IsEnabled => Current is { Enabled: true, Authority: not null, ClientId: not null };

    public string? ClientSecret => Current?.ProtectedClientSecret is { } protectedSecret ? _secrets.Unprotect(protectedSecret) : null;

    public SsoSettingsDto Get(AccessScope scope)
    {
        scope.DemandOrganizationAdministratorToRead();
        var s = Current ?? new SsoSettings();
        return new SsoSettingsDto(s.Enabled, s.DisplayName, s.Authority, s.ClientId, s.ProtectedClientSecret is not null, s.Scopes, s.GroupsClaim, s.Mappings, s.DisableLocalLogin);
    }

    public async Task<SsoSettingsDto> UpdateAsync(AccessScope scope, SsoSettingsInput input, CancellationToken cancellationToken)
    {
        scope.DemandOrganizationAdministrator();
        if (input.Authority is { Length: > 0 } authority
            && (!Uri.TryCreate(authority, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || (url.Scheme == "http" && !url.IsLoopback)))
        {
            throw new DomainValidationException("authority", "The authority must be an https URL (http only on this machine's loopback, for tests).");
        }

        if (input.Enabled && (string.IsNullOrWhiteSpace(input.Authority) || string.IsNullOrWhiteSpace(input.ClientId)))
        {
            throw new DomainValidationException("authority", "Single sign-on needs an authority and a client id.");
        }

        var tree = await access.TreeAsync(cancellationToken);
        if (input.Mappings?.FirstOrDefault(m => tree.Find(m.DivisionId) is null || string.IsNullOrWhiteSpace(m.Group) || m.Role == OrganizationRole.Guest) is { } bad)
        {
            throw new DomainValidationException("mappings", $"The mapping for group '{bad.Group}' names no division, no group, or the guest role.");
        }

        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var settings = await db.SsoSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new SsoSettings();
            db.SsoSettings.Add(settings);
        }

        settings.Enabled = input.Enabled;
        settings.DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? "single sign-on" : input.DisplayName.Trim();
        settings.Authority = string.IsNullOrWhiteSpace(input.Authority) ? null : input.Authority.Trim().TrimEnd('/') + "/";
        settings.ClientId = string.IsNullOrWhiteSpace(input.ClientId) ? null : input.ClientId.Trim();
        if (input.ClientSecret is not null)
        {
            settings.ProtectedClientSecret = input.ClientSecret.Length == 0 ? null : _secrets.Protect(input.ClientSecret);
        }

        settings.Scopes = input.Scopes?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Union(["openid"]).ToList() ?? settings.Scopes;
        settings.GroupsClaim = string.IsNullOrWhiteSpace(input.GroupsClaim) ? "groups" : input.GroupsClaim.Trim();
        settings.Mappings = input.Mappings?.ToList() ?? settings.Mappings;
        settings.DisableLocalLogin = input.DisableLocalLogin;
        settings.UpdatedAt = time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("settings.sso", "settings", "sso", null,
            new { settings.Enabled, settings.Authority, settings.ClientId, secretChanged = input.ClientSecret is not null, settings.Mappings, settings.DisableLocalLogin }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        _current = null;
        // The handler reads its options once; drop them so the next sign-in uses the new provider.
        optionsCache.TryRemove(Scheme);
        return Get(scope);
    }

    /// <summary>After the provider vouched for someone: find or create their account, bring their roles in line with
    /// their groups, and return it. Null when the provider's answer lacks a subject.</summary>
    public async Task<CertitudeUser?> CompleteSignInAsync(ClaimsPrincipal external, string? sourceAddress, CancellationToken cancellationToken)
    {
        var subject = external.FindFirst("sub")?.Value ?? external.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }

        var settings = Current ?? new SsoSettings();
        var email = external.FindFirst("email")?.Value ?? external.FindFirst(ClaimTypes.Email)?.Value;
        var preferred = external.FindFirst("preferred_username")?.Value ?? email ?? subject;
        var groups = external.FindAll(settings.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

        await using var services = scopes.CreateAsyncScope();
        var users = services.ServiceProvider.GetRequiredService<UserManager<CertitudeUser>>();
        var user = await users.FindByLoginAsync(LoginProvider, subject);
        var now = time.GetUtcNow();
        var created = false;
        if (user is null)
        {
            var userName = preferred;
            for (var i = 2; await users.FindByNameAsync(userName) is not null; i++)
            {
                userName = $"{preferred}-{i}";
            }

            user = new CertitudeUser { UserName = userName, Email = email, CreatedAt = now, LockoutEnabled = true };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded || !(await users.AddLoginAsync(user, new UserLoginInfo(LoginProvider, subject, settings.DisplayName))).Succeeded)
            {
                throw new ConflictException("The account for this sign-in could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            created = true;
        }

        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var wanted = settings.Mappings.Where(m => groups.Contains(m.Group)).Select(m => (m.DivisionId, m.Role)).ToHashSet();
        var current = await db.RoleAssignments.Where(r => r.UserId == user.Id && r.Source == SsoSource).ToListAsync(cancellationToken);
        db.RoleAssignments.RemoveRange(current.Where(r => !wanted.Contains((r.DivisionId, r.Role))));
        foreach (var (divisionId, role) in wanted.Where(w => !current.Any(r => r.DivisionId == w.DivisionId && r.Role == w.Role)))
        {
            db.RoleAssignments.Add(new RoleAssignment { UserId = user.Id, DivisionId = divisionId, Role = role, CreatedAt = now, Source = SsoSource });
        }

        await audit.AppendAsync(db, new Actor("user", user.Id, user.UserName ?? subject, sourceAddress), new AuditRecord(created ? "user.sso-create" : "user.sso-sign-in", "user", user.Id, null,
            new { subject, email, groups = groups.Take(50), roles = wanted.Select(w => $"{w.Role}@{w.DivisionId}") }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }
}
