using System.ComponentModel.DataAnnotations;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority;

/// <summary>Creates a CA: a root without <see cref="Parent"/>, an intermediate signed by the parent CA with one.</summary>
public sealed record AuthorityInput
{
    /// <summary>URL-safe name (lowercase letters, digits, hyphens): used in CRL and OCSP URLs and division defaults.</summary>
    [Required, StringLength(AuthorityLimits.MaxNameLength)]
    public required string Name { get; init; }

    /// <summary>The CA certificate's subject common name.</summary>
    [Required, StringLength(64)]
    public required string CommonName { get; init; }

    [StringLength(64)]
    public string? Organization { get; init; }

    [StringLength(AuthorityLimits.MaxDescriptionLength)]
    public string? Description { get; init; }

    public SigningKeyType KeyType { get; init; } = SigningKeyType.EcP256;

    /// <summary>Name of the CA that signs this one; none for a root.</summary>
    [StringLength(AuthorityLimits.MaxNameLength)]
    public string? Parent { get; init; }

    /// <summary>Default: 10 years for a root, 5 for an intermediate (never past the parent's end).</summary>
    [Range(1, 36500)]
    public int? ValidityDays { get; init; }

    /// <summary>Accepts certificate requests. Default: intermediates yes, roots no (a root stays offline).</summary>
    public bool? Issuing { get; init; }
}

/// <summary>Brings an existing CA (certificate and private key, PEM) under Certitude.</summary>
public sealed record AuthorityImportInput
{
    [Required, StringLength(AuthorityLimits.MaxNameLength)]
    public required string Name { get; init; }

    [Required, StringLength(AuthorityLimits.MaxKeyFileBytes)]
    public required string CertificatePem { get; init; }

    [Required, StringLength(AuthorityLimits.MaxKeyFileBytes)]
    public required string KeyPem { get; init; }

    [StringLength(1024)]
    public string? KeyPassword { get; init; }

    [StringLength(AuthorityLimits.MaxDescriptionLength)]
    public string? Description { get; init; }

    public bool Issuing { get; init; } = true;
}

public sealed record AuthorityDto(long Id, string Name, string? Description, string Connector, string? Parent, bool IsIssuing,
    string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KeyAlgorithm, long CertificateId,
    string CrlUrl, string OcspUrl, string CaIssuersUrl, DateTimeOffset? CrlNextUpdate, DateTimeOffset CreatedAt);

/// <summary>A certificate request: a CSR, or a key the server generates (<see cref="GenerateKey"/>), and the names.</summary>
public sealed record CertificateRequestInput
{
    /// <summary>Division the certificate is for; default: the caller's own (a guest's invitation division).</summary>
    public long? DivisionId { get; init; }

    /// <summary>Profile key (tls-server, tls-client, public-tls-server); default: the division's.</summary>
    [StringLength(64)]
    public string? Profile { get; init; }

    /// <summary>PKCS#10 request, PEM (or DER in base64).</summary>
    [StringLength(AuthorityLimits.MaxCsrBytes)]
    public string? Csr { get; init; }

    /// <summary>Have the server make the key pair (kept encrypted; each authorized user may download it once).</summary>
    public SigningKeyType? GenerateKey { get; init; }

    /// <summary>DNS names, added to the CSR's.</summary>
    [MaxLength(AuthorityLimits.MaxNamesPerRequest)]
    public IReadOnlyList<string>? DnsNames { get; init; }

    [MaxLength(AuthorityLimits.MaxNamesPerRequest)]
    public IReadOnlyList<string>? IpAddresses { get; init; }

    /// <summary>Subject common name; default: the CSR's, or the first DNS name.</summary>
    [StringLength(64)]
    public string? CommonName { get; init; }

    [Range(1, 36500)]
    public int? ValidityDays { get; init; }

    [StringLength(256)]
    public string? Owner { get; init; }

    [StringLength(AuthorityLimits.MaxCommentsLength)]
    public string? Comments { get; init; }
}

/// <summary>Renew (same names, new period) or reissue (other names or key, same end date) an issued certificate.</summary>
public sealed record ReplaceCertificateInput
{
    /// <summary>A new CSR; without it (and without <see cref="GenerateKey"/>) the certificate keeps its key.</summary>
    [StringLength(AuthorityLimits.MaxCsrBytes)]
    public string? Csr { get; init; }

    public SigningKeyType? GenerateKey { get; init; }

    /// <summary>Reissue only: the new DNS names (default: unchanged).</summary>
    [MaxLength(AuthorityLimits.MaxNamesPerRequest)]
    public IReadOnlyList<string>? DnsNames { get; init; }

    [MaxLength(AuthorityLimits.MaxNamesPerRequest)]
    public IReadOnlyList<string>? IpAddresses { get; init; }

    /// <summary>Renew only.</summary>
    [Range(1, 36500)]
    public int? ValidityDays { get; init; }

    [StringLength(AuthorityLimits.MaxCommentsLength)]
    public string? Comments { get; init; }
}

public sealed record RejectInput
{
    [Required, StringLength(AuthorityLimits.MaxCommentsLength, MinimumLength = 1)]
    public required string Reason { get; init; }
}

public sealed record RevokeInput
{
    /// <summary>RFC 5280 §5.3.1 reason; default unspecified.</summary>
    public RevocationReason Reason { get; init; } = RevocationReason.Unspecified;
}

public sealed record ApprovalDto(string UserName, string Channel, DateTimeOffset ApprovedAt);

public sealed record RequestDto(long Id, long DivisionId, string Division, string Authority, string Profile, RequestKind Kind, RequestState State,
    string? CommonName, IReadOnlyList<string> Names, int ValidityDays, DateTimeOffset? NotAfter, string KeyDescription, bool ServerGeneratedKey,
    string? Owner, string? Comments, string RequesterName, int RequiredApprovals, IReadOnlyList<ApprovalDto> Approvals,
    string? RejectionReason, string? FailureReason, long? CertificateId, long? ReplacesCertificateId,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, DateTimeOffset? IssuedAt);

public sealed record RequestHistoryEntry(DateTimeOffset At, string Action, string Actor, string? Details);

public sealed record RequestDetails(RequestDto Request, IReadOnlyList<RequestHistoryEntry> History, bool CanApprove);

public sealed record RequestPage(IReadOnlyList<RequestDto> Items, string? NextCursor);

/// <summary>Median time from request to decision, per division.</summary>
public sealed record ApprovalTimes(long DivisionId, string Division, int Decided, double? MedianMinutes);

/// <summary>The message an approver gets, with the signed one-click link (email delivery arrives with notifications).</summary>
public sealed record ApprovalMessage(string To, string Subject, string Body, string Link, DateTimeOffset LinkExpiresAt);

/// <summary>What the certificate actions of an issued certificate need to know.</summary>
public sealed record IssuedCertificateInfo(long CertificateId, string Authority, string SerialNumber, long? RequestId, bool ServerGeneratedKey,
    DateTimeOffset? RevokedAt, RevocationReason? RevocationReason);

/// <summary>Download formats of a certificate.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CertificateFormat>))]
public enum CertificateFormat
{
    /// <summary>The certificate, PEM.</summary>
    Pem,

    /// <summary>The CA certificates above it (intermediates, without the root), PEM.</summary>
    Chain,

    /// <summary>The certificate and its intermediates, PEM (what a TLS server is configured with).</summary>
    FullChain,

    /// <summary>The certificate, DER.</summary>
    Der,

    /// <summary>PKCS#7 (certs-only, DER) with the whole chain, root included.</summary>
    P7b,

    /// <summary>PKCS#12 with the server-generated private key, under a password.</summary>
    Pfx,
}

/// <summary>Filters of the request list.</summary>
/// <param name="State">Only requests in this state.</param>
/// <param name="DivisionId">Only this division and those below it.</param>
/// <param name="Mine">Only the caller's own requests.</param>
/// <param name="Approvable">The approval queue: pending requests the caller may approve.</param>
public sealed record RequestQuery(RequestState? State = null, long? DivisionId = null, bool Mine = false, bool Approvable = false);

/// <summary>A file to hand out.</summary>
public sealed record DownloadedFile(byte[] Content, string ContentType, string FileName);

public sealed record PfxInput
{
    [Required, StringLength(AuthorityLimits.MaxPfxPasswordLength, MinimumLength = AuthorityLimits.MinPfxPasswordLength)]
    public required string Password { get; init; }
}
