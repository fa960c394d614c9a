namespace Certitude.Features.Organization;

/// <summary>
/// A credential for automation: <c>Authorization: Bearer ctk_&lt;id&gt;_&lt;secret&gt;</c>. Only a SHA-256 of the
/// secret is stored; the secret is 256 random bits, so a fast hash is enough (nothing to brute-force).
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret part, lowercase hex.</summary>
    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The key may only read, whatever its owner may do.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Divisions (with their sub-trees) the key is narrowed to; empty: all of its owner's.</summary>
    public List<long> Divisions { get; set; } = [];
    public string? LastUsedFrom { get; set; }
}
