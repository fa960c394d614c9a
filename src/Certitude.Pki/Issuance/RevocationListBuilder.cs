using System.Numerics;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Signing;

namespace Certitude.Pki.Issuance;

/// <summary>Builds and signs certificate revocation lists: DER X.509 v2 CRLs (RFC 5280 §5.1) with the authority key
/// identifier and CRL number extensions and a reason code per entry.</summary>
public static class RevocationListBuilder
{
    // RFC 5280 §5.2.3: CRL numbers are non-negative and at most 20 octets.
    private static readonly BigInteger CrlNumberLimit = BigInteger.One << 159;

    /// <summary>Builds a complete CRL for the certificates <paramref name="issuer"/> issued.</summary>
    /// <param name="issuer">The CA certificate whose subject becomes the CRL issuer (RFC 5280 §5.1.2.3).</param>
    /// <param name="issuerKey">The CA's private key, which signs the CRL.</param>
    /// <param name="revoked">The revoked certificates (RFC 5280 §5.1.2.6), in the order they are listed.</param>
    /// <param name="crlNumber">The CRL number (RFC 5280 §5.2.3), increasing with every CRL this CA issues.</param>
    /// <param name="thisUpdate">The thisUpdate time (RFC 5280 §5.1.2.4).</param>
    /// <param name="nextUpdate">The nextUpdate time (RFC 5280 §5.1.2.5), after <paramref name="thisUpdate"/>.</param>
    /// <returns>The DER encoding of the CertificateList.</returns>
    /// <exception cref="ArgumentException"><paramref name="issuerKey"/> is not the issuer's key, the issuer may not sign
    /// CRLs, a serial number is empty, an entry gives a reason other than RFC 5280 §5.3.1's for complete CRLs, or the times or CRL number are out of range.</exception>
    public static byte[] Build(
        X509Certificate2 issuer,
        SigningKey issuerKey,
        IEnumerable<RevokedEntry> revoked,
        BigInteger crlNumber,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(issuerKey);
        ArgumentNullException.ThrowIfNull(revoked);

        if (!issuerKey.Matches(issuer))
        {
            throw new ArgumentException("The issuer key is not the key of the issuer certificate.", nameof(issuerKey));
        }

        var usage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            throw new ArgumentException("The issuer certificate's key usage lacks cRLSign (RFC 5280 §4.2.1.3).", nameof(issuer));
        }

        if (crlNumber.Sign < 0 || crlNumber >= CrlNumberLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(crlNumber), "A CRL number is non-negative and at most 20 octets (RFC 5280 §5.2.3).");
        }

        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentException("nextUpdate must be after thisUpdate (RFC 5280 §5.1.2.5).", nameof(nextUpdate));
        }

        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(revoked));
            if (entry.SerialNumber is null || entry.SerialNumber.Length == 0)
            {
                throw new ArgumentException("A revoked entry has an empty serial number.", nameof(revoked));
            }

            switch (entry.Reason)
            {
                case null or X509RevocationReason.Unspecified or X509RevocationReason.KeyCompromise or X509RevocationReason.CACompromise
                    or X509RevocationReason.AffiliationChanged or X509RevocationReason.Superseded
                    or X509RevocationReason.CessationOfOperation or X509RevocationReason.CertificateHold
                    or X509RevocationReason.PrivilegeWithdrawn:
                    break;
                case X509RevocationReason.RemoveFromCrl:
                    throw new ArgumentException(
                        "The removeFromCRL reason only belongs in delta CRLs (RFC 5280 §5.3.1); this builds complete CRLs.", nameof(revoked));
                case X509RevocationReason.AACompromise:
                    // .NET's builder refuses it too: it concerns attribute authorities (RFC 5755 §6.3), not public key certificates.
                    throw new ArgumentException(
                        "The aACompromise reason concerns attribute certificates (RFC 5755), which this CA does not issue.", nameof(revoked));
                default:
                    // weakAlgorithmOrKey (11) comes from X.509 (2019); RFC 5280 parsers such as OpenSSL's do not know it.
                    throw new ArgumentException($"{entry.Reason} is not a reason code of RFC 5280 §5.3.1.", nameof(revoked));
            }

            // RFC 5280 §5.3.1: the reasonCode extension SHOULD be absent rather than say unspecified.
            var reason = entry.Reason is X509RevocationReason.Unspecified ? null : entry.Reason;
            builder.AddEntry(entry.SerialNumber, entry.RevokedAt, reason);
        }

        var authorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(
            CertificateBuilder.AuthorityKeyIdentifierOf(issuer));
        return builder.Build(
            issuer.SubjectName,
            issuerKey.CreateSignatureGenerator(),
            crlNumber,
            nextUpdate,
            issuerKey.HashAlgorithm,
            authorityKeyIdentifier,
            thisUpdate);
    }
}
