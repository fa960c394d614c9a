using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Organization;

public sealed record CreateApiKeyRequest
{
    [Required, StringLength(128, MinimumLength = 1)]
    public required string Name { get; init; }

    /// <summary>Days until the key stops working; null for no expiry.</summary>
    [Range(1, 3650)]
    public int? ExpiresInDays { get; init; }
}

/// <summary>A new key. <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset? ExpiresAt);

public sealed record ApiKeyInfo(Guid Id, string Name, string Owner, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string? LastUsedFrom);

public sealed record CurrentUser(string Id, string UserName, bool MustChangePassword);
