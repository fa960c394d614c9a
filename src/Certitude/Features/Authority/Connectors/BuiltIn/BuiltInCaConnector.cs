using System.Security.Cryptography.X509Certificates;
using Certitude.Features.Authority.Keys;
using Certitude.Pki.Issuance;

namespace Certitude.Features.Authority.Connectors.BuiltIn;

/// <summary>Certitude's own CA: signs in process with the CA key from the key store.</summary>
internal sealed class BuiltInCaConnector(CaKeyRing keys) : ICaConnector
{
    public string Key => CaConnectorKeys.BuiltIn;

    public Task<byte[]> IssueAsync(CertificateAuthority authority, CertificateTemplate certificate, PublicKey subjectKey, CancellationToken cancellationToken)
    {
        var signer = keys.SignerFor(authority);
        return Task.FromResult(CertificateBuilder.IssueDer(certificate, subjectKey, signer.Certificate, signer.Key));
    }

    public Task RevokeAsync(CertificateAuthority authority, IssuedCertificate certificate, CancellationToken cancellationToken) => Task.CompletedTask;
}
