using System.Security.Cryptography;
using Certitude.Data;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>Creates, lists, revokes and checks API keys.</summary>
public sealed class ApiKeyService(IDbContextFactory<CertitudeDbContext> contexts, AccessService access, AccessCache cache, Audit.AuditLog audit, TimeProvider time)
{
    private const string Prefix = "ctk_";

    /// <summary>Creates a key for <paramref name="userId"/>; <paramref name="actor"/> is who asked (the user themselves
    /// by default, the local CLI when the data folder owner creates one).</summary>
    public async Task<CreatedApiKey> CreateAsync(string userId, CreateApiKeyRequest request, Audit.Actor? actor, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        if (name.Length == 0)
        {
            throw new DomainValidationException("name", "Give the key a name that says what uses it.");
        }

        var now = time.GetUtcNow();
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name,
            SecretHash = Hash(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
            ReadOnly = request.ReadOnly,
            Divisions = request.Divisions?.Distinct().ToList() ?? [],
        };
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new NotFoundException("No such user.");
        }

        // A key never exceeds its owner: it may only be narrowed to divisions the owner holds a role in (or below).
        var owner = await access.ForUserAsync(userId, null, null, cancellationToken)
            ?? throw new ForbiddenException("This account may not create API keys now.");
        if (owner.IsGuest)
        {
            throw new ForbiddenException("Guests do not get API keys.");
        }

        if (key.Divisions.FirstOrDefault(d => !owner.HasAnyRole(d)) is var outside and not 0)
        {
            throw new DomainValidationException("divisions", $"You hold no role in division {outside}.");
        }

        db.ApiKeys.Add(key);
        await audit.AppendAsync(db, actor ?? owner.Actor, new Audit.AuditRecord("apikey.create", "apikey", key.Id.ToString(), null,
            new { key.Name, owner = userId, key.ReadOnly, key.Divisions, key.ExpiresAt }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedApiKey(key.Id, key.Name, $"{Prefix}{key.Id:N}_{System.Buffers.Text.Base64Url.EncodeToString(secret)}", key.ExpiresAt);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ApiKeys.Where(k => k.UserId == userId)
            .Join(db.Users, k => k.UserId, u => u.Id, (k, u) => new ApiKeyInfo(k.Id, k.Name, u.UserName ?? "", k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.LastUsedFrom, k.ReadOnly, k.Divisions))
            .ToListAsync(cancellationToken);
    }

    public async Task RevokeAsync(string userId, Guid id, Audit.Actor? actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken)
            ?? throw new NotFoundException("No such API key.");
        key.RevokedAt ??= time.GetUtcNow();
        await audit.AppendAsync(db, actor ?? new Audit.Actor("user", userId, userId), new Audit.AuditRecord("apikey.revoke", "apikey", key.Id.ToString(), null, new { key.Name }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The key and its user, or null when the key is malformed, unknown, revoked or expired. The key comes from
    /// this node's access cache; the secret is checked on every call.</summary>
    public async Task<(Guid KeyId, string UserId)?> ValidateAsync(string presented, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (!TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        var key = await cache.ApiKeyAsync(id, cancellationToken);
        var now = time.GetUtcNow();
        if (key is null
            || !CryptographicOperations.FixedTimeEquals(key.SecretHash, SHA256.HashData(secret))
            || !key.IsUsableAt(now))
        {
            return null;
        }

        if (key.UseIsNews(now, remoteAddress) && cache.ClaimUse(key.Id, now, remoteAddress))
        {
            // Not through SaveChanges: recording a use changes nobody's access, so the access stamp stays as it is.
            await using var db = contexts.CreateDbContext();
            await db.ApiKeys.Where(k => k.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now).SetProperty(k => k.LastUsedFrom, remoteAddress), cancellationToken);
        }

        return (key.Id, key.UserId);
    }

    private static bool TryParse(string presented, out Guid id, out byte[] secret)
    {
        id = Guid.Empty;
        secret = [];
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return false;
        }

        var parts = presented[Prefix.Length..].Split('_', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out id))
        {
            return false;
        }

        try
        {
            secret = System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]);
            return secret.Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Hash(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret));
}
