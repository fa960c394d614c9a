using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>Decides whether one certificate issued another, the step chain building repeats (RFC 5280 §6.1.3).</summary>
public static class CertificateChainLinker
{
    /// <summary>
    /// True when the child's issuer name matches the candidate's subject name (RFC 5280 §7.1: equal encodings, or
    /// equal after case and whitespace folding of string values) and the candidate's public key verifies the child's
    /// signature. RSA PKCS #1 v1.5 and RSASSA-PSS (RFC 4055), ECDSA (RFC 5758), EdDSA (RFC 8410) and DSA are checked;
    /// validity dates, key usage and basic constraints are not — this links certificates, it does not validate paths.
    /// </summary>
    /// <param name="childDer">The certificate whose issuer is sought, DER.</param>
    /// <param name="issuerDer">The candidate issuer, DER.</param>
    /// <returns>Whether the candidate issued the child.</returns>
    /// <exception cref="CertificateFormatException">Either input is not a parseable certificate.</exception>
    public static bool IsIssuedBy(ReadOnlySpan<byte> childDer, ReadOnlySpan<byte> issuerDer)
    {
        var child = ParsedCertificate.Parse(childDer.ToArray());
        var issuer = ParsedCertificate.Parse(issuerDer.ToArray());
        if (!NamesMatch(child.Issuer, issuer.Subject))
        {
            return false;
        }

        return SignatureVerifier.Verify(child.TbsCertificate.Span, child.SignatureAlgorithm, child.Signature.Span, issuer.PublicKey);
    }

    private static bool NamesMatch(ReadOnlyMemory<byte> issuerName, ReadOnlyMemory<byte> subjectName)
    {
        if (issuerName.Span.SequenceEqual(subjectName.Span))
        {
            return true;
        }

        try
        {
            return DistinguishedName.Parse(issuerName).Matches(DistinguishedName.Parse(subjectName));
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException($"not a valid X.509 certificate: malformed name ({e.Message.TrimEnd('.')})", e);
        }
    }
}
