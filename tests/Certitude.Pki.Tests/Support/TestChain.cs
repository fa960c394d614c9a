using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;

namespace Certitude.Pki.Tests.Support;

/// <summary>A root, an intermediate and a TLS server leaf made by <see cref="CertificateBuilder"/>, with their keys.</summary>
internal sealed class TestChain : IDisposable
{
    public const string LeafName = "www.example.test";
    public const string CrlUrl = "http://127.0.0.1:8080/int.crl";
    public const string OcspUrl = "http://127.0.0.1:8080/ocsp";
    public const string CaIssuerUrl = "http://127.0.0.1:8080/int.crt";
    public const string RootCrlUrl = "http://127.0.0.1:8080/root.crl";
    public const string RootCaIssuerUrl = "http://127.0.0.1:8080/root.crt";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string DomainValidated = "2.23.140.1.2.1";
    public const string AnyPolicy = "2.5.29.32.0";

    private TestChain(SigningKey rootKey, SigningKey intermediateKey, SigningKey leafKey)
    {
        RootKey = rootKey;
        IntermediateKey = intermediateKey;
        LeafKey = leafKey;
        var now = DateTimeOffset.UtcNow;

        Root = CertificateBuilder.CreateSelfSigned(
            new CertificateTemplate
            {
                Subject = new X500DistinguishedName($"CN=Certitude Test Root {rootKey.Type}, O=Certitude"),
                NotBefore = now.AddHours(-1),
                NotAfter = now.AddDays(365),
                SerialNumber = CertificateBuilder.NewSerialNumber(),
                KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
                IsCertificateAuthority = true,
                PathLength = 1,
            },
            rootKey);

        IntermediateTemplate = new CertificateTemplate
        {
            Subject = new X500DistinguishedName($"CN=Certitude Test Intermediate {rootKey.Type}, O=Certitude"),
            NotBefore = now.AddHours(-1),
            NotAfter = now.AddDays(180),
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
            IsCertificateAuthority = true,
            PathLength = 0,
            CrlDistributionPoints = [RootCrlUrl],
            OcspUrls = [OcspUrl],
            CaIssuerUrls = [RootCaIssuerUrl],
            CertificatePolicies = [AnyPolicy],
        };
        Intermediate = CertificateBuilder.Issue(IntermediateTemplate, intermediateKey.PublicKey, Root, rootKey);

        LeafTemplate = LeafTemplateFor(leafKey, now);
        Leaf = CertificateBuilder.Issue(LeafTemplate, leafKey.PublicKey, Intermediate, intermediateKey);
    }

    public SigningKey RootKey { get; }

    public SigningKey IntermediateKey { get; }

    public SigningKey LeafKey { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 Leaf { get; }

    public CertificateTemplate IntermediateTemplate { get; }

    public CertificateTemplate LeafTemplate { get; }

    /// <summary>A chain whose root and intermediate keys are of <paramref name="type"/> and whose leaf key is of another type.</summary>
    public static TestChain Create(SigningKeyType type)
    {
        var leafType = type switch
        {
            SigningKeyType.EcP256 => SigningKeyType.Rsa2048,
            SigningKeyType.EcP384 => SigningKeyType.Ed25519,
            SigningKeyType.Ed25519 => SigningKeyType.EcP384,
            _ => SigningKeyType.EcP256,
        };
        return new TestChain(SigningKey.Generate(type), SigningKey.Generate(type), SigningKey.Generate(leafType));
    }

    /// <summary>A TLS server leaf template: DNS and IP names, serverAuth, the CRL and AIA URLs of the intermediate.</summary>
    public static CertificateTemplate LeafTemplateFor(SigningKey leafKey, DateTimeOffset now)
    {
        // keyEncipherment only means something for RSA keys (RFC 5246 §7.4.7.1 RSA key exchange).
        var usage = leafKey.Algorithm == "RSA"
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        return new CertificateTemplate
        {
            Subject = new X500DistinguishedName($"CN={LeafName}"),
            SubjectAlternativeNames =
            [
                new(SubjectAlternativeNameType.Dns, LeafName),
                new(SubjectAlternativeNameType.Dns, "example.test"),
                new(SubjectAlternativeNameType.IpAddress, "127.0.0.1"),
                new(SubjectAlternativeNameType.IpAddress, "::1"),
            ],
            NotBefore = now.AddMinutes(-5),
            NotAfter = now.AddDays(90),
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            KeyUsage = usage,
            ExtendedKeyUsages = [ServerAuth],
            CrlDistributionPoints = [CrlUrl],
            OcspUrls = [OcspUrl],
            CaIssuerUrls = [CaIssuerUrl],
            CertificatePolicies = [DomainValidated],
        };
    }

    /// <summary>Writes root.pem, int.pem, leaf.pem and chain.pem (leaf, then intermediate).</summary>
    public void WriteTo(TempDirectory directory)
    {
        File.WriteAllText(directory.File("root.pem"), Pem.Certificate(Root.RawData));
        File.WriteAllText(directory.File("int.pem"), Pem.Certificate(Intermediate.RawData));
        File.WriteAllText(directory.File("leaf.pem"), Pem.Certificate(Leaf.RawData));
        File.WriteAllText(directory.File("chain.pem"), Pem.Certificate(Leaf.RawData) + Pem.Certificate(Intermediate.RawData));
    }

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        Leaf.Dispose();
        RootKey.Dispose();
        IntermediateKey.Dispose();
        LeafKey.Dispose();
    }
}
