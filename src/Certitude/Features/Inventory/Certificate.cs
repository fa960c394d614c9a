using Certitude.Pki;

namespace Certitude.Features.Inventory;

/// <summary>
/// One certificate in the inventory, whatever brought it in. Parsed facts are written once at import
/// (they are facts of the DER and never change); owner, division, tags and notes are the organization's.
/// </summary>
public sealed class Certificate
{
    public long Id { get; set; }

    public required string Sha256Fingerprint { get; set; }
    public required string Sha1Fingerprint { get; set; }
    public required string SpkiSha256 { get; set; }
    public required string SerialNumber { get; set; }
    public int Version { get; set; }

    public required string Subject { get; set; }
    /// <summary>Empty when the subject has no CN, never null, so that sorting by it can page by keyset.</summary>
    public string SubjectCommonName { get; set; } = "";
    public string? SubjectOrganization { get; set; }
    public string? SubjectOrganizationalUnit { get; set; }
    public required string Issuer { get; set; }
    /// <summary>Empty when the issuer has no CN (see <see cref="SubjectCommonName"/>).</summary>
    public string IssuerCommonName { get; set; } = "";
    public string? IssuerOrganization { get; set; }
    public string? IssuerOrganizationalUnit { get; set; }

    /// <summary>Short hashes of the RFC 4514 subject and issuer, indexed so chain building finds candidates fast
    /// (DNs can be longer than a B-tree key may be).</summary>
    public required string SubjectHash { get; set; }
    public required string IssuerHash { get; set; }

    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }

    public required string PublicKeyAlgorithm { get; set; }
    public int PublicKeySize { get; set; }
    public string? PublicKeyCurve { get; set; }
    public required string SignatureAlgorithm { get; set; }

    public string? SubjectKeyIdentifier { get; set; }
    public string? AuthorityKeyIdentifier { get; set; }
    public bool IsCertificateAuthority { get; set; }
    public int? PathLengthConstraint { get; set; }
    public List<string> KeyUsages { get; set; } = [];
    public List<string> ExtendedKeyUsages { get; set; } = [];
    public List<string> CertificatePolicies { get; set; } = [];
    public ValidationLevel ValidationLevel { get; set; }
    public List<string> CrlDistributionPoints { get; set; } = [];
    public List<string> OcspUrls { get; set; } = [];
    public List<string> CaIssuerUrls { get; set; } = [];
    public List<string> UnknownCriticalExtensions { get; set; } = [];
    public int EmbeddedSctCount { get; set; }
    public bool MustStaple { get; set; }
    public bool IsSelfSigned { get; set; }

    /// <summary>Subject alternative names as "type:value" strings, in certificate order, for display.
    /// Searching goes through <see cref="SearchKeys"/>.</summary>
    public List<string> SubjectAlternativeNames { get; set; } = [];

    public required byte[] Der { get; set; }

    /// <summary>The issuing certificate when the inventory holds it (verified by signature, not only by name).</summary>
    public long? IssuerCertificateId { get; set; }

    public string? Owner { get; set; }

    /// <summary>The division the certificate belongs to; who may see and manage it follows from it.</summary>
    public long DivisionId { get; set; }
    public string? Notes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Soft delete: a deleted certificate disappears from lists but keeps its history;
    /// importing it again brings it back.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public List<CertificateTag> Tags { get; set; } = [];
    public List<CertificateSource> Sources { get; set; } = [];
    public List<CertificateSearchKey> SearchKeys { get; set; } = [];
}
