namespace Certitude.Features.Organization;

/// <summary>
/// A part of the organization: a department, unit or location. Divisions form one tree under the organization
/// (the root). Every certificate, endpoint and request belongs to exactly one division; roles granted on a
/// division hold in its whole sub-tree.
/// </summary>
public sealed class Division
{
    public long Id { get; set; }
    public long? ParentId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>Who to talk to: free text (names, e-mail addresses, phone).</summary>
    public string? Contacts { get; set; }

    /// <summary>Domains the division owns: <c>example.com</c> (and its sub-domains) or <c>*.corp.example.com</c>.</summary>
    public List<string> Domains { get; set; } = [];

    /// <summary>CIDR ranges the division covers, used to place discovered endpoints.</summary>
    public List<string> IpRanges { get; set; } = [];

    /// <summary>Null: inherited from the parent (the root defaults to one approver).</summary>
    public ApprovalPolicy? ApprovalPolicy { get; set; }

    /// <summary>Key of the division's default certificate authority (filled by the managed PKI); null: inherited.</summary>
    public string? DefaultAuthority { get; set; }

    /// <summary>Default certificate profile; null: inherited.</summary>
    public string? DefaultProfile { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
