using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Certitude.Pki;

/// <summary>Reads one X.509 certificate (RFC 5280) into <see cref="CertificateFacts"/>.</summary>
public static class CertificateReader
{
    private const string CommonName = "2.5.4.3";
    private const string OrganizationName = "2.5.4.10";
    private const string OrganizationalUnitName = "2.5.4.11";

    /// <summary>
    /// Parses one DER-encoded certificate (RFC 5280 §4.1) into facts. Legal but unusual certificates are read, not
    /// rejected: version 1 (no extensions), negative or over-long serial numbers, any number of subject alternative
    /// names, RSA of any size, EC on any curve, Ed25519/Ed448, DSA, unknown critical extensions (listed in
    /// <see cref="CertificateFacts.UnknownCriticalExtensions"/>), and BER encoding slips that OpenSSL also accepts.
    /// </summary>
    /// <param name="der">Exactly one certificate; trailing bytes are an error.</param>
    /// <returns>The certificate's facts.</returns>
    /// <exception cref="CertificateFormatException">The bytes are not a parseable certificate; the message says why.</exception>
    public static CertificateFacts ReadFacts(ReadOnlySpan<byte> der)
    {
        var certificate = ParsedCertificate.Parse(der.ToArray());
        var subject = ReadName(certificate.Subject, "subject");
        var issuer = ReadName(certificate.Issuer, "issuer");
        var extensions = CertificateExtensionReader.Read(certificate.Extensions);
        PublicKeyDescription key;
        try
        {
            key = PublicKeyDescription.Describe(certificate.PublicKey);
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException($"not a valid X.509 certificate: malformed public key ({e.Message.TrimEnd('.')})", e);
        }

        var selfSigned = certificate.Subject.Span.SequenceEqual(certificate.Issuer.Span)
            && SignatureVerifier.Verify(certificate.TbsCertificate.Span, certificate.SignatureAlgorithm, certificate.Signature.Span, certificate.PublicKey);

        return new CertificateFacts
        {
            Der = certificate.Der,
            Version = certificate.Version,
            Sha256Fingerprint = Convert.ToHexStringLower(SHA256.HashData(certificate.Der)),
            Sha1Fingerprint = Convert.ToHexStringLower(Sha1(certificate.Der)),
            SpkiSha256 = Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.Encoded.Span)),
            SerialNumber = Convert.ToHexStringLower(certificate.SerialNumber.Span),
            Subject = subject.ToRfc4514(),
            SubjectCommonName = subject.First(CommonName),
            SubjectOrganization = subject.First(OrganizationName),
            SubjectOrganizationalUnit = JoinOrNull(subject.All(OrganizationalUnitName)),
            Issuer = issuer.ToRfc4514(),
            IssuerCommonName = issuer.First(CommonName),
            IssuerOrganization = issuer.First(OrganizationName),
            IssuerOrganizationalUnit = JoinOrNull(issuer.All(OrganizationalUnitName)),
            NotBefore = certificate.NotBefore,
            NotAfter = certificate.NotAfter,
            SubjectAlternativeNames = extensions.SubjectAlternativeNames,
            PublicKeyAlgorithm = key.Algorithm,
            PublicKeySize = key.Size,
            PublicKeyCurve = key.Curve,
            SignatureAlgorithm = SignatureAlgorithmNames.For(certificate.SignatureAlgorithm.Oid),
            SignatureAlgorithmOid = certificate.SignatureAlgorithm.Oid,
            SubjectKeyIdentifier = extensions.SubjectKeyIdentifier,
            AuthorityKeyIdentifier = extensions.AuthorityKeyIdentifier,
            IsCertificateAuthority = extensions.IsCertificateAuthority,
            PathLengthConstraint = extensions.PathLengthConstraint,
            KeyUsages = extensions.KeyUsages,
            ExtendedKeyUsages = extensions.ExtendedKeyUsages,
            CertificatePolicies = extensions.CertificatePolicies,
            ValidationLevel = ValidationLevelOf(extensions.CertificatePolicies),
            CrlDistributionPoints = extensions.CrlDistributionPoints,
            OcspUrls = extensions.OcspUrls,
            CaIssuerUrls = extensions.CaIssuerUrls,
            EmbeddedSctCount = extensions.EmbeddedSctCount,
            MustStaple = extensions.MustStaple,
            IsSelfSigned = selfSigned,
            UnknownCriticalExtensions = extensions.UnknownCriticalExtensions,
        };
    }

    /// <summary>
    /// The CA/Browser Forum level the policies assert (Baseline Requirements §7.1.6.1); when a certificate asserts more
    /// than one, the strongest wins: EV, then OV, then IV, then DV.
    /// </summary>
    internal static ValidationLevel ValidationLevelOf(IReadOnlyCollection<string> policies)
    {
        if (policies.Contains(Oids.PolicyExtendedValidation))
        {
            return ValidationLevel.ExtendedValidation;
        }

        if (policies.Contains(Oids.PolicyOrganizationValidated))
        {
            return ValidationLevel.OrganizationValidated;
        }

        if (policies.Contains(Oids.PolicyIndividualValidated))
        {
            return ValidationLevel.IndividualValidated;
        }

        return policies.Contains(Oids.PolicyDomainValidated) ? ValidationLevel.DomainValidated : ValidationLevel.Unknown;
    }

    private static DistinguishedName ReadName(ReadOnlyMemory<byte> encoded, string which)
    {
        try
        {
            return DistinguishedName.Parse(encoded);
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException($"not a valid X.509 certificate: malformed {which} name ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static string? JoinOrNull(IEnumerable<string> values)
    {
        var joined = string.Join(", ", values);
        return joined.Length == 0 ? null : joined;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "The SHA-1 fingerprint names a certificate as tools and browsers still show it; it protects nothing.")]
    private static byte[] Sha1(ReadOnlySpan<byte> data)
    {
        return SHA1.HashData(data);
    }
}
