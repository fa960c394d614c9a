using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>One revoked certificate in a CRL (RFC 5280 §5.1.2.6).</summary>
/// <param name="SerialNumber">The certificate's serial number as its INTEGER content octets (big-endian).</param>
/// <param name="RevokedAt">The revocationDate; fractions of a second are dropped.</param>
/// <param name="Reason">The reason code (RFC 5280 §5.3.1); null or <see cref="X509RevocationReason.Unspecified"/> leaves
/// the reasonCode extension out, as that section asks. <see cref="X509RevocationReason.RemoveFromCrl"/> (delta CRLs only) and
/// <see cref="X509RevocationReason.AACompromise"/> (attribute certificates) are refused, as are values RFC 5280 does not
/// define.</param>
public sealed record RevokedEntry(byte[] SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason);
