using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A root, an intermediate and a leaf made with CertificateRequest, and the PEM files a peer server is started with.
/// The probe must return exactly <see cref="Leaf"/> then <see cref="Intermediate"/>, byte for byte.
/// </summary>
internal sealed class TestChain
{
    private static readonly Lazy<TestChain> SharedRsa = new(() => Create("rsa.probe.test", ecdsa: false));
    private static readonly Lazy<TestChain> SharedEcdsa = new(() => Create("ecdsa.probe.test", ecdsa: true));
    private static readonly Lazy<TestChain> SharedAlternative = new(() => Create("sni.probe.test", ecdsa: true));

    private TestChain(X509Certificate2 leaf, X509Certificate2 intermediate, string keyPem)
    {
        Leaf = leaf;
        Intermediate = intermediate;
        KeyPem = keyPem;
    }

    /// <summary>An RSA 2048 chain for rsa.probe.test.</summary>
    public static TestChain Rsa => SharedRsa.Value;

    /// <summary>A P-256 chain for ecdsa.probe.test.</summary>
    public static TestChain Ecdsa => SharedEcdsa.Value;

    /// <summary>A second P-256 chain, for sni.probe.test: what a server selects by SNI.</summary>
    public static TestChain Alternative => SharedAlternative.Value;

    public X509Certificate2 Leaf { get; }

    public X509Certificate2 Intermediate { get; }

    public string KeyPem { get; }

    public string SubjectName => Leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false);

    /// <summary>Writes cert.pem (the leaf), chain.pem (the intermediate), fullchain.pem and key.pem under a prefix.</summary>
    public ChainFiles Write(string directory, string prefix)
    {
        var files = new ChainFiles(
            Path.Combine(directory, prefix + "-cert.pem"),
            Path.Combine(directory, prefix + "-chain.pem"),
            Path.Combine(directory, prefix + "-fullchain.pem"),
            Path.Combine(directory, prefix + "-key.pem"));
        File.WriteAllText(files.Certificate, Leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(files.Chain, Intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.FullChain, Leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(files.Key, KeyPem);
        return files;
    }

    public void AssertIsChainOf(IReadOnlyList<byte[]> chain)
    {
        Assert.Equal(2, chain.Count);
        Assert.Equal(Leaf.RawData, chain[0]);
        Assert.Equal(Intermediate.RawData, chain[1]);
    }

    private static TestChain Create(string dnsName, bool ecdsa)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = NewKey(ecdsa);
        var rootRequest = Request("CN=Certitude Probe Test Root", rootKey);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        using var intermediateKey = NewKey(ecdsa);
        var intermediateRequest = Request("CN=Certitude Probe Test Intermediate", intermediateKey);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(12));
        using var intermediate = ecdsa
            ? intermediatePublic.CopyWithPrivateKey((ECDsa)intermediateKey)
            : intermediatePublic.CopyWithPrivateKey((RSA)intermediateKey);

        var leafKey = NewKey(ecdsa);
        var leafRequest = Request("CN=" + dnsName, leafKey);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(90), RandomNumberGenerator.GetBytes(12));

        return new TestChain(
            X509CertificateLoader.LoadCertificate(leaf.RawData),
            X509CertificateLoader.LoadCertificate(intermediatePublic.RawData),
            leafKey.ExportPkcs8PrivateKeyPem());
    }

    private static AsymmetricAlgorithm NewKey(bool ecdsa) => ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key) => key is ECDsa ec
        ? new CertificateRequest(subject, ec, HashAlgorithmName.SHA256)
        : new CertificateRequest(subject, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
