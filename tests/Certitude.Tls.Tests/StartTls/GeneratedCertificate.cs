using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>
/// A self-signed certificate made for one test (EC P-256, CN=localhost, SAN localhost and 127.0.0.1) with its key,
/// in memory and as PEM files in a temporary folder for the server programs.
/// </summary>
internal sealed class GeneratedCertificate : IDisposable
{
    private readonly string _directory;

    public GeneratedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=localhost, O=Certitude STARTTLS test {Guid.NewGuid():N}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        _directory = ForegroundDaemon.CreateWorkDirectory("certitude-starttls-cert-");
        CertificatePath = Path.Combine(_directory, "cert.pem");
        KeyPath = Path.Combine(_directory, "key.pem");
        File.WriteAllText(CertificatePath, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        ForegroundDaemon.RestrictToOwner(KeyPath);
    }

    /// <summary>The certificate with its private key (for in-process TLS servers).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public void Dispose()
    {
        Certificate.Dispose();
        ForegroundDaemon.DeleteWorkDirectory(_directory);
    }
}
