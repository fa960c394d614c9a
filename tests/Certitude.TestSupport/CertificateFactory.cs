using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.TestSupport;

/// <summary>Makes real certificates with .NET's own X.509 APIs for tests: a root, an intermediate, leaves.</summary>
public static class CertificateFactory
{
    public static X509Certificate2 CreateRoot(string commonName = "Test Root CA", DateTimeOffset? notBefore = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Certitude Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string commonName = "Test Issuing CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Certitude Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A TLS server leaf for <paramref name="dnsNames"/>; self-signed when <paramref name="issuer"/> is null.</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2? issuer, string commonName, IEnumerable<string>? dnsNames = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? [commonName])
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer, from, to, RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A certificate for a subject whose key we never hold, signed by <paramref name="issuer"/>: lets tests make
    /// certificates for keys too slow to generate (RSA 16384) or with any serial, names and extensions.</summary>
    public static X509Certificate2 Issue(X509Certificate2 issuer, X500DistinguishedName subject, PublicKey subjectKey, byte[] serial,
        Action<CertificateRequest>? configure = null)
    {
        var request = new CertificateRequest(subject, subjectKey, HashAlgorithmName.SHA256);
        configure?.Invoke(request);
        var generator = issuer.GetECDsaPrivateKey() is { } ecdsa
            ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);
        return request.Create(issuer.SubjectName, generator, issuer.NotBefore.AddMinutes(1), issuer.NotBefore.AddDays(365), serial);
    }

    /// <summary>An RSA public key of any size without generating one: a random odd modulus with its top bit set.</summary>
    public static PublicKey FakeRsaPublicKey(int bits)
    {
        var modulus = RandomNumberGenerator.GetBytes(bits / 8);
        modulus[0] |= 0x80;
        modulus[^1] |= 0x01;
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(modulus);
            writer.WriteInteger(65537);
        }

        return new PublicKey(new Oid("1.2.840.113549.1.1.1"), new AsnEncodedData([0x05, 0x00]), new AsnEncodedData(writer.Encode()));
    }

    public static string ToPem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3f) | 0x40); // positive, no leading zero byte: minimal DER as generated
        return serial;
    }
}
