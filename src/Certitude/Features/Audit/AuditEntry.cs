namespace Certitude.Features.Audit;

/// <summary>
/// One append-only record of who did what to what. Entries form a hash chain: each carries the hash of the one
/// before it (by <see cref="Sequence"/>), so an edited, deleted or reordered row breaks the chain where it happened.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>1, 2, 3, ... without gaps; assigned under a lock at append time.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>user, api-key, system or cli.</summary>
    public required string ActorKind { get; set; }
    public string? ActorId { get; set; }
    public required string ActorName { get; set; }

    /// <summary>Dotted verb, e.g. certificate.import, division.move, apikey.revoke.</summary>
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public string? TargetId { get; set; }

    /// <summary>The division the target belongs to, for division-scoped auditors; null for organization-wide actions.</summary>
    public long? DivisionId { get; set; }

    /// <summary>Before/after summary or details, as short JSON.</summary>
    public string? Details { get; set; }
    public string? SourceAddress { get; set; }

    /// <summary>Hex SHA-256 of the previous entry ("" for the first).</summary>
    public required string PreviousHash { get; set; }

    /// <summary>Hex SHA-256 over this entry's fields and <see cref="PreviousHash"/>.</summary>
    public required string Hash { get; set; }
}
