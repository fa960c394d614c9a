using System.Security.Cryptography;
using Certitude.Data;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>Creates, lists, revokes and checks API keys.</summary>
public sealed class ApiKeyService(IDbContextFactory<CertitudeDbContext> contexts, TimeProvider time)
{
    private const string Prefix = "ctk_";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(string userId, CreateApiKeyRequest request, CancellationToken cancellationToken)
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
        };
        await using var db = contexts.CreateDbContext();
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new NotFoundException("No such user.");
        }

        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key.Id, key.Name, $"{Prefix}{key.Id:N}_{System.Buffers.Text.Base64Url.EncodeToString(secret)}", key.ExpiresAt);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ApiKeys.Where(k => k.UserId == userId)
            .Join(db.Users, k => k.UserId, u => u.Id, (k, u) => new ApiKeyInfo(k.Id, k.Name, u.UserName ?? "", k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.LastUsedFrom))
            .ToListAsync(cancellationToken);
    }

    public async Task RevokeAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken)
            ?? throw new NotFoundException("No such API key.");
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The user id a presented key belongs to, or null when it is malformed, unknown, revoked or expired.</summary>
    public async Task<string?> ValidateAsync(string presented, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (!TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        await using var db = contexts.CreateDbContext();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        var now = time.GetUtcNow();
        if (key is null
            || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(key.SecretHash), SHA256.HashData(secret))
            || key.RevokedAt is not null
            || key.ExpiresAt <= now)
        {
            return null;
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution || key.LastUsedFrom != remoteAddress)
        {
            key.LastUsedAt = now;
            key.LastUsedFrom = remoteAddress;
            await db.SaveChangesAsync(cancellationToken);
        }

        return key.UserId;
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
