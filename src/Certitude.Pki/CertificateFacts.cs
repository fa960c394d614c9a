namespace Certitude.Pki;

/// <summary>
/// Everything Certitude records about one X.509 certificate, read once from its DER encoding
/// (RFC 5280). The inventory stores these facts; nothing downstream parses the certificate again.
/// </summary>
public sealed record CertificateFacts
{
    /// <summary>The certificate's DER encoding, exactly as read.</summary>
    public required byte[] Der { get; init; }

    /// <summary>X.509 version: 1, 2 or 3 (RFC 5280 §4.1.2.1).</summary>
    public required int Version { get; init; }

    /// <summary>SHA-256 over the DER encoding, lowercase hex without separators.</summary>
    public required string Sha256Fingerprint { get; init; }

    /// <summary>SHA-1 over the DER encoding, lowercase hex without separators.</summary>
    public required string Sha1Fingerprint { get; init; }

    /// <summary>SHA-256 over the DER SubjectPublicKeyInfo (the HPKP/"pin-sha256" input), lowercase hex.</summary>
    public required string SpkiSha256 { get; init; }

    /// <summary>Serial number as the big-endian two's-complement content octets of the INTEGER in the certificate, lowercase
    /// hex (RFC 5280 §4.1.2.2), byte for byte: a leading 00 that keeps a serial positive stays ("008f…" where
    /// <c>openssl x509 -serial</c> prints "8F…"), and a negative serial (forbidden by RFC 5280 but issued in the wild) stays in
    /// two's complement ("edcc" where openssl prints "-1234"). Read as a signed big-endian integer it equals openssl's value.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Subject distinguished name in RFC 4514 string form: the last RDN of the encoding first, "," between RDNs and
    /// "+" inside a multi-valued one, RFC 4514 §2.4 escaping. Attribute names are RFC 4514's (CN, L, ST, O, OU, C, STREET,
    /// DC, UID), else OpenSSL's short names (emailAddress, serialNumber, SN, GN, title, businessCategory, jurisdictionC, ...),
    /// else the dotted OID with the value as "#" and hex of its DER (§2.4). Non-ASCII characters are kept as they are, so
    /// this equals <c>openssl x509 -nameopt RFC2253</c> output once OpenSSL's \XX escapes of UTF-8 bytes are decoded and its
    /// "street" is read as "STREET". Empty for an empty name.</summary>
    public required string Subject { get; init; }

    /// <summary>Subject commonName (2.5.4.3), the first one in encoding order if several.</summary>
    public string? SubjectCommonName { get; init; }

    /// <summary>Subject organizationName (2.5.4.10).</summary>
    public string? SubjectOrganization { get; init; }

    /// <summary>Subject organizationalUnitName (2.5.4.11); several joined with ", " in encoding order.</summary>
    public string? SubjectOrganizationalUnit { get; init; }

    /// <summary>Issuer distinguished name in RFC 4514 string form, formatted as <see cref="Subject"/> is.</summary>
    public required string Issuer { get; init; }

    /// <summary>Issuer commonName.</summary>
    public string? IssuerCommonName { get; init; }

    /// <summary>Issuer organizationName.</summary>
    public string? IssuerOrganization { get; init; }

    /// <summary>Issuer organizationalUnitName; several joined with ", ".</summary>
    public string? IssuerOrganizationalUnit { get; init; }

    /// <summary>Start of validity, UTC.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity, UTC.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Every subject alternative name in certificate order (RFC 5280 §4.2.1.6); empty when the extension is absent.</summary>
    public required IReadOnlyList<SubjectAlternativeName> SubjectAlternativeNames { get; init; }

    /// <summary>Public key algorithm: "RSA", "RSA-PSS" (an id-RSASSA-PSS key, RFC 4055 §1.2), "EC", "Ed25519", "Ed448",
    /// "X25519", "X448", "DSA", or the algorithm OID when unknown.</summary>
    public required string PublicKeyAlgorithm { get; init; }

    /// <summary>Key size in bits (RSA modulus, EC field size, 255/448 for EdDSA, DSA p size); 0 when unknown.</summary>
    public required int PublicKeySize { get; init; }

    /// <summary>Named curve for EC keys: "P-192", "P-224", "P-256", "P-384", "P-521", "secp256k1", "brainpoolP256r1/384r1/512r1",
    /// or the curve OID when unnamed here; null for other key types and for explicit curve parameters.</summary>
    public string? PublicKeyCurve { get; init; }

    /// <summary>Signature algorithm in OpenSSL's long naming, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "ED25519",
    /// or the OID when unknown.</summary>
    public required string SignatureAlgorithm { get; init; }

    /// <summary>Signature algorithm OID.</summary>
    public required string SignatureAlgorithmOid { get; init; }

    /// <summary>Subject key identifier (RFC 5280 §4.2.1.2), lowercase hex; null when absent.</summary>
    public string? SubjectKeyIdentifier { get; init; }

    /// <summary>Authority key identifier's keyIdentifier (RFC 5280 §4.2.1.1), lowercase hex; null when absent.</summary>
    public string? AuthorityKeyIdentifier { get; init; }

    /// <summary>Basic constraints cA flag (RFC 5280 §4.2.1.9); false when the extension is absent.</summary>
    public required bool IsCertificateAuthority { get; init; }

    /// <summary>Basic constraints pathLenConstraint, when present.</summary>
    public int? PathLengthConstraint { get; init; }

    /// <summary>Key usage bits set (RFC 5280 §4.2.1.3) by their RFC names: "digitalSignature", "nonRepudiation",
    /// "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly".</summary>
    public required IReadOnlyList<string> KeyUsages { get; init; }

    /// <summary>Extended key usage purposes (RFC 5280 §4.2.1.12) as dotted OIDs.</summary>
    public required IReadOnlyList<string> ExtendedKeyUsages { get; init; }

    /// <summary>Certificate policy OIDs (RFC 5280 §4.2.1.4).</summary>
    public required IReadOnlyList<string> CertificatePolicies { get; init; }

    /// <summary>The validation level the policies assert, by CA/Browser Forum reserved OIDs (2.23.140.1.*).</summary>
    public required ValidationLevel ValidationLevel { get; init; }

    /// <summary>CRL distribution point URIs (RFC 5280 §4.2.1.13).</summary>
    public required IReadOnlyList<string> CrlDistributionPoints { get; init; }

    /// <summary>Authority information access OCSP URIs (RFC 5280 §4.2.2.1).</summary>
    public required IReadOnlyList<string> OcspUrls { get; init; }

    /// <summary>Authority information access CA-issuers URIs (RFC 5280 §4.2.2.1).</summary>
    public required IReadOnlyList<string> CaIssuerUrls { get; init; }

    /// <summary>Number of signed certificate timestamps embedded (RFC 6962 §3.3, OID 1.3.6.1.4.1.11129.2.4.2).</summary>
    public required int EmbeddedSctCount { get; init; }

    /// <summary>TLS feature extension requests status_request (OCSP must-staple, RFC 7633).</summary>
    public required bool MustStaple { get; init; }

    /// <summary>Subject equals issuer (equal DER encodings) and the certificate's own key verifies its signature
    /// (RSA PKCS #1 v1.5 and PSS, ECDSA, Ed25519, Ed448, DSA).</summary>
    public required bool IsSelfSigned { get; init; }

    /// <summary>OIDs of critical extensions this reader does not understand (kept so the UI can show them): any critical
    /// extension other than those of RFC 5280 §4.2, the TLS feature (RFC 7633), and the CT SCT list and poison (RFC 6962).</summary>
    public required IReadOnlyList<string> UnknownCriticalExtensions { get; init; }
}
