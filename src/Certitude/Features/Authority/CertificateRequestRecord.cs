namespace Certitude.Features.Authority;

/// <summary>
/// A request for a certificate: what is asked (names, profile, key), by whom, for which division, and where it
/// stands. Named apart from .NET's <c>CertificateRequest</c>; the API calls it a request.
/// </summary>
public sealed class CertificateRequestRecord
{
    public long Id { get; set; }
    public long DivisionId { get; set; }

    /// <summary>The CA it goes to: the division's default, never the requester's choice.</summary>
    public long AuthorityId { get; set; }

    public required string Profile { get; set; }
    public RequestKind Kind { get; set; }
    public RequestState State { get; set; }

    /// <summary>For renewals and reissues: the inventory certificate they replace.</summary>
    public long? ReplacesCertificateId { get; set; }

    /// <summary>Subject common name put in the certificate (the first DNS name unless given).</summary>
    public string? CommonName { get; set; }

    /// <summary>Subject alternative names, as the inventory prints them ("DNS:a.example", "IP Address:10.0.0.1").</summary>
    public List<string> Names { get; set; } = [];

    public int ValidityDays { get; set; }

    /// <summary>A reissue keeps its order's end date.</summary>
    public DateTimeOffset? NotAfter { get; set; }

    /// <summary>The CSR as submitted, or null when the server generates the key.</summary>
    public byte[]? Csr { get; set; }

    /// <summary>The subject public key (SubjectPublicKeyInfo DER), from the CSR or the generated key.</summary>
    public required byte[] PublicKey { get; set; }

    public required string KeyDescription { get; set; }

    /// <summary>Server-generated key, sealed (<see cref="Keys.ICaKeyStore"/>); downloadable once per authorized user.</summary>
    public byte[]? PrivateKeyReference { get; set; }

    public string? Owner { get; set; }
    public string? Comments { get; set; }

    public string? RequesterId { get; set; }
    public required string RequesterName { get; set; }

    /// <summary>Approvals the division's policy asks for when the request was made (0: auto-approved).</summary>
    public int RequiredApprovals { get; set; }

    public string? RejectionReason { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>The inventory certificate issued for it.</summary>
    public long? CertificateId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was approved or rejected: time-to-approve is this minus <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>Bumped by every transition; the conditional update on it is what serializes concurrent approvals.</summary>
    public int Version { get; set; }

    public List<RequestApproval> Approvals { get; set; } = [];
}
