namespace Certitude.Features.Organization;

/// <summary>A role a user holds on a division (and so on all of its sub-divisions).</summary>
public sealed class RoleAssignment
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public long DivisionId { get; set; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>"sso" when granted from the identity provider's groups (and taken away when the groups change);
    /// null when granted by an administrator.</summary>
    public string? Source { get; set; }
}
