using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>
/// A certificate signing request (PKCS #10, RFC 2986) whose self-signature has been verified, as
/// <see cref="SigningRequestReader.Read"/> returns it. It carries what the requester asked for; what is issued is decided
/// by a <see cref="CertificateProfile"/> (<see cref="ProfilePolicy"/>).
/// </summary>
public sealed record SigningRequest
{
    /// <summary>The CertificationRequest's DER encoding, exactly as received (RFC 2986 §4.2).</summary>
    public required byte[] Der { get; init; }

    /// <summary>The requested subject name (RFC 2986 §4.1 <c>subject</c>); empty when the request names none, as ACME
    /// clients often do.</summary>
    public required X500DistinguishedName Subject { get; init; }

    /// <summary>The subject in RFC 4514 string form, written exactly as <see cref="CertificateFacts.Subject"/> writes a
    /// certificate's subject, so a request and the certificate issued for it show the same text.</summary>
    public required string SubjectDistinguishedName { get; init; }

    /// <summary>The subject's first commonName (2.5.4.3) in encoding order; null when there is none.</summary>
    public string? SubjectCommonName { get; init; }

    /// <summary>
    /// The subjectAltName extension (RFC 5280 §4.2.1.6) requested in the extensionRequest attribute (RFC 2985 §5.4.2),
    /// in request order, with duplicates kept; empty when the request asks for none. Other requested extensions are not
    /// reported: the profile, not the requester, decides key usages, policies and the rest.
    /// </summary>
    public required IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; }

    /// <summary>The subject public key (RFC 2986 §4.1 <c>subjectPKInfo</c>), ready for
    /// <see cref="CertificateRequest"/> to issue a certificate for.</summary>
    public required PublicKey PublicKey { get; init; }

    /// <summary>The public key's algorithm, size and curve.</summary>
    public required PublicKeyDescription Key { get; init; }

    /// <summary>OpenSSL's name for the algorithm the request is signed with ("sha256WithRSAEncryption",
    /// "ecdsa-with-SHA384", "ED25519", "rsassaPss"), as <c>openssl req -text</c> prints it; the OID when OpenSSL has no
    /// name for it.</summary>
    public required string SignatureAlgorithm { get; init; }

    /// <summary>The signature algorithm's OID (RFC 2986 §4.2 <c>signatureAlgorithm</c>).</summary>
    public required string SignatureAlgorithmOid { get; init; }

    /// <summary>True when the request is signed with SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1, dsaWithSHA1, or
    /// RSASSA-PSS with SHA-1 as its hash), which public profiles refuse because SHA-1 is no longer collision
    /// resistant.</summary>
    public required bool SignedWithSha1 { get; init; }
}
