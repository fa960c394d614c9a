using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Tls.Tests.Validation;

/// <summary>Certificates made with .NET's CertificateRequest for chain tests: a root, an intermediate, leaves, all EC P-256.</summary>
internal static class TestPki
{
    public static X509Certificate2 Root(DateTimeOffset now, string name = "Chain Test Root")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Certitude Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddYears(-1), now.AddYears(10));
    }

    public static X509Certificate2 Intermediate(X509Certificate2 issuer, DateTimeOffset now, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Chain Test Issuing CA, O=Certitude Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var certificate = request.Create(issuer, now.AddMonths(-6), notAfter ?? now.AddYears(5), Serial());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A TLS server leaf; self-signed when <paramref name="issuer"/> is null.</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter,
        IEnumerable<string>? dnsNames = null, IEnumerable<IPAddress>? addresses = null, string commonName = "www.example.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? [commonName])
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses ?? [])
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));

        // Signed through a generator so that a leaf may outlive its issuer (a test of an expired intermediate).
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, Serial());
    }

    /// <summary>A certificate whose issuer name equals its subject but whose signature is made with another key.</summary>
    public static X509Certificate2 SelfIssuedSignedByAnother(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=impostor.example.test", key, HashAlgorithmName.SHA256);
        return request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(other), now.AddDays(-1), now.AddDays(30), Serial());
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3f) | 0x40);
        return serial;
    }
}
