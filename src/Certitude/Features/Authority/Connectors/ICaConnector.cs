using Certitude.Pki.Issuance;

namespace Certitude.Features.Authority.Connectors;

/// <summary>
/// One kind of CA behind the request workflow. The workflow decides what to issue (names, validity, profile) and
/// records the outcome; a connector only turns an approved request into a certificate at its CA and tells the CA
/// about revocations. The built-in CA signs in process; an ACME connector (later) orders from a public CA.
/// </summary>
public interface ICaConnector
{
    /// <summary>The key stored on <see cref="CertificateAuthority.Connector"/>.</summary>
    string Key { get; }

    /// <summary>Issues a certificate as <paramref name="certificate"/> describes it, for the subject key, at the CA; returns its DER.</summary>
    Task<byte[]> IssueAsync(CertificateAuthority authority, CertificateTemplate certificate, System.Security.Cryptography.X509Certificates.PublicKey subjectKey, CancellationToken cancellationToken);

    /// <summary>Tells the CA a certificate is revoked. The built-in CA publishes from the database and has nothing to do.</summary>
    Task RevokeAsync(CertificateAuthority authority, IssuedCertificate certificate, CancellationToken cancellationToken);
}
