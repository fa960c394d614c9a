using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>
/// Everything that goes into a certificate except its public key and issuer: the subject, validity, serial number and
/// the extensions of RFC 5280 §4.2 that <see cref="CertificateBuilder"/> writes.
/// </summary>
public sealed record CertificateTemplate
{
    /// <summary>The subject name (RFC 5280 §4.1.2.6). It may be empty only for an end-entity certificate with subject
    /// alternative names; a CA's subject must not be empty.</summary>
    public required X500DistinguishedName Subject { get; init; }

    /// <summary>The subject alternative names (RFC 5280 §4.2.1.6): DNS names, IP addresses, email addresses and URIs.
    /// The extension is marked critical when <see cref="Subject"/> is empty.</summary>
    public IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; } = [];

    /// <summary>Start of the validity period (RFC 5280 §4.1.2.5); fractions of a second are dropped.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of the validity period, inclusive (RFC 5280 §4.1.2.5); fractions of a second are dropped.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The serial number (RFC 5280 §4.1.2.2) as the INTEGER's content octets will appear: positive, big-endian,
    /// minimally encoded, 1 to 20 octets. <see cref="CertificateBuilder.NewSerialNumber"/> makes suitable ones.</summary>
    public required byte[] SerialNumber { get; init; }

    /// <summary>The key usage bits (RFC 5280 §4.2.1.3), written as a critical extension; <see cref="X509KeyUsageFlags.None"/>
    /// leaves the extension out, which only an end-entity certificate may do. A CA needs keyCertSign.</summary>
    public X509KeyUsageFlags KeyUsage { get; init; }

    /// <summary>Extended key usage OIDs (RFC 5280 §4.2.1.12), e.g. "1.3.6.1.5.5.7.3.1" for TLS servers; none leaves the
    /// extension out.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    /// <summary>Whether the subject is a CA (RFC 5280 §4.2.1.9, the cA boolean of basic constraints).</summary>
    public bool IsCertificateAuthority { get; init; }

    /// <summary>The pathLenConstraint of a CA (RFC 5280 §4.2.1.9): how many intermediate CAs may follow it; null for
    /// no limit. Must be null for an end-entity certificate.</summary>
    public int? PathLength { get; init; }

    /// <summary>CRL distribution point URLs (RFC 5280 §4.2.1.13), one distribution point each.</summary>
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];

    /// <summary>OCSP responder URLs for the authority information access extension (RFC 5280 §4.2.2.1, id-ad-ocsp).</summary>
    public IReadOnlyList<string> OcspUrls { get; init; } = [];

    /// <summary>URLs of the issuer's certificate for the authority information access extension (RFC 5280 §4.2.2.1,
    /// id-ad-caIssuers).</summary>
    public IReadOnlyList<string> CaIssuerUrls { get; init; } = [];

    /// <summary>Certificate policy OIDs (RFC 5280 §4.2.1.4), written without qualifiers, e.g. "2.23.140.1.2.1" for
    /// domain validated (CA/Browser Forum Baseline Requirements §7.1.6.1).</summary>
    public IReadOnlyList<string> CertificatePolicies { get; init; } = [];
}
