using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Organization;

public sealed record CreateApiKeyRequest
{
    [Required, StringLength(128, MinimumLength = 1)]
    public required string Name { get; init; }

    /// <summary>Days until the key stops working; null for no expiry.</summary>
    [Range(1, 3650)]
    public int? ExpiresInDays { get; init; }

    /// <summary>The key may only read.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Narrow the key to these divisions (and their sub-divisions); empty: all of the owner's.</summary>
    [MaxLength(100)]
    public IReadOnlyList<long>? Divisions { get; init; }
}

/// <summary>A new key. <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset? ExpiresAt);

public sealed record ApiKeyInfo(Guid Id, string Name, string Owner, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string? LastUsedFrom, bool ReadOnly, IReadOnlyList<long> Divisions);

public sealed record CurrentUser(string Id, string UserName, bool MustChangePassword);

public sealed record DivisionDto(long Id, long? ParentId, string Name, string Path, string? Description, string? Contacts,
    IReadOnlyList<string> Domains, IReadOnlyList<string> IpRanges, ApprovalPolicy? ApprovalPolicy, ApprovalPolicy EffectiveApprovalPolicy,
    string? DefaultAuthority, string? DefaultProfile);

/// <summary>Create a division under <see cref="ParentId"/>, or change one (null members stay as they are).</summary>
public sealed record DivisionInput
{
    public long? ParentId { get; init; }

    [StringLength(OrganizationLimits.MaxNameLength)]
    public string? Name { get; init; }

    [StringLength(OrganizationLimits.MaxDescriptionLength)]
    public string? Description { get; init; }

    [StringLength(OrganizationLimits.MaxDescriptionLength)]
    public string? Contacts { get; init; }

    public IReadOnlyList<string>? Domains { get; init; }
    public IReadOnlyList<string>? IpRanges { get; init; }

    /// <summary>Set a policy; see <see cref="InheritApprovalPolicy"/> to go back to inheriting.</summary>
    public ApprovalPolicy? ApprovalPolicy { get; init; }
    public bool InheritApprovalPolicy { get; init; }
    public string? DefaultAuthority { get; init; }
    public string? DefaultProfile { get; init; }
}

public sealed record MoveDivisionRequest(long NewParentId);

public sealed record RoleDto(long Id, long DivisionId, string DivisionPath, OrganizationRole Role);

public sealed record UserDto(string Id, string UserName, string? Email, string? DisplayName, bool IsServiceAccount,
    DateTimeOffset? AccessExpiresAt, bool LockedOut, IReadOnlyList<RoleDto> Roles);

public sealed record CreateUserRequest
{
    [Required, StringLength(64, MinimumLength = 2)]
    public required string UserName { get; init; }

    [EmailAddress, StringLength(256)]
    public string? Email { get; init; }

    [StringLength(128)]
    public string? DisplayName { get; init; }

    /// <summary>A non-human account: no password, API keys only.</summary>
    public bool ServiceAccount { get; init; }

    public long DivisionId { get; init; }
    public OrganizationRole Role { get; init; } = OrganizationRole.User;
}

/// <summary>A created account; <see cref="OneTimePassword"/> (people only) is shown this once.</summary>
public sealed record CreatedUser(UserDto User, string? OneTimePassword);

public sealed record AssignRoleRequest(long DivisionId, OrganizationRole Role);

public sealed record OneTimePassword(string Password);

public sealed record InviteGuestRequest
{
    [Required, EmailAddress, StringLength(256)]
    public required string Email { get; init; }

    public long DivisionId { get; init; }

    /// <summary>How long the guest's access lasts after accepting (default 7 days); the link is valid as long.</summary>
    [Range(1, 90)]
    public int AccessDays { get; init; } = 7;
}

/// <summary>A new invitation. <see cref="Link"/> (relative to the server) carries the one-time token; it is shown this once.</summary>
public sealed record CreatedInvitation(Guid Id, string Email, long DivisionId, DateTimeOffset ExpiresAt, string Link);

public sealed record InvitationDto(Guid Id, string Email, long DivisionId, string DivisionPath, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    int AccessDays, DateTimeOffset? AcceptedAt, DateTimeOffset? RevokedAt);

public sealed record AcceptInvitationRequest
{
    [Required, StringLength(200)]
    public required string Token { get; init; }

    [Required, StringLength(64, MinimumLength = 2)]
    public required string UserName { get; init; }

    [Required, StringLength(256)]
    public required string Password { get; init; }
}
