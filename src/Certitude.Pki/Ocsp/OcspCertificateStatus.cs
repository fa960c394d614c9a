namespace Certitude.Pki.Ocsp;

/// <summary>The CertStatus of one certificate in an OCSP response (RFC 6960 §4.2.1, §2.2).</summary>
public enum OcspCertificateStatus
{
    /// <summary>Not revoked as far as the responder knows (good [0] IMPLICIT NULL).</summary>
    Good,

    /// <summary>Revoked, temporarily (certificateHold) or for good (revoked [1] IMPLICIT RevokedInfo).</summary>
    Revoked,

    /// <summary>The responder does not know the certificate, e.g. an unknown serial or issuer (unknown [2] IMPLICIT NULL).</summary>
    Unknown,
}
