namespace Certitude.Features.Authority;

/// <summary>
/// A certificate one of Certitude's CAs issued: what CRLs and the OCSP responder answer from. Written in the same
/// transaction as the signature's use, before the certificate is handed to anyone, so that no certificate exists
/// that revocation does not know about.
/// </summary>
public sealed class IssuedCertificate
{
    public long Id { get; set; }
    public long AuthorityId { get; set; }

    /// <summary>Serial number as lowercase hex of the INTEGER's content bytes (as the inventory stores it).</summary>
    public required string SerialNumber { get; set; }

    /// <summary>The certificate's record in the inventory.</summary>
    public long CertificateId { get; set; }

    /// <summary>The request it was issued for; none for a CA certificate made by `ca create`.</summary>
    public long? RequestId { get; set; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo: a key-compromise revocation revokes every certificate of the key.</summary>
    public required string SpkiSha256 { get; set; }

    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>RFC 5280 §5.3.1 CRLReason code.</summary>
    public int? RevocationReason { get; set; }
}
