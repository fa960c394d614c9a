namespace Certitude.Features.Organization;

/// <summary>
/// A one-time link that lets a temporary guest create their account in one division. Only a SHA-256 of the
/// link's token is stored; the link works once, and not after <see cref="ExpiresAt"/>.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public required string TokenHash { get; set; }
    public required string Email { get; set; }
    public long DivisionId { get; set; }
    public required string InvitedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Until when the link can be used.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>How long the guest's access lasts once they accept.</summary>
    public int AccessDays { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
