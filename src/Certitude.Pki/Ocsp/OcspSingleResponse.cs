using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Ocsp;

/// <summary>The status of one certificate, to be signed into a SingleResponse (RFC 6960 §4.2.1, §4.2.2.1).</summary>
/// <param name="Id">The CertID, normally the one from the request.</param>
/// <param name="Status">Good, revoked or unknown.</param>
/// <param name="RevokedAt">The revocationTime; required when <paramref name="Status"/> is revoked, ignored otherwise.</param>
/// <param name="Reason">The revocationReason (a CRLReason, RFC 5280 §5.3.1); optional, used only when revoked.</param>
/// <param name="ThisUpdate">The time at which the status is known to be correct (whole seconds are encoded).</param>
/// <param name="NextUpdate">The time at or before which newer status will be available; null when always available.</param>
public sealed record OcspSingleResponse(
    OcspCertificateId Id,
    OcspCertificateStatus Status,
    DateTimeOffset? RevokedAt,
    X509RevocationReason? Reason,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate);
