using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary><see cref="CertificateChainLinker"/> on root → intermediate → leaf chains.</summary>
public sealed class CertificateChainLinkerTests
{
    [Fact]
    public void IsIssuedBy_RsaChain_LinksEachLevelAndNothingElse()
    {
        using var rootKey = RSA.Create(2048);
        using var intermediateKey = RSA.Create(2048);
        using var leafKey = RSA.Create(2048);
        var chain = BuildChain(rootKey, intermediateKey, PublicKeyOf(leafKey));

        AssertLinks(chain);
    }

    [Fact]
    public void IsIssuedBy_EcChain_LinksEachLevelAndNothingElse()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var chain = BuildChain(rootKey, intermediateKey, PublicKeyOf(leafKey));

        AssertLinks(chain);
    }

    [Fact]
    public void IsIssuedBy_RsaRootSigningWithPss_Links()
    {
        using var rootKey = RSA.Create(2048);
        var (root, _) = TestCertificates.Authority("CN=PSS Root", rootKey);
        using (root)
        {
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leaf = TestCertificates.Issue("CN=pss-leaf", PublicKeyOf(leafKey), root, rootKey, padding: RSASignaturePadding.Pss);

            Assert.Equal("rsassaPss", CertificateReader.ReadFacts(leaf).SignatureAlgorithm);
            Assert.True(CertificateChainLinker.IsIssuedBy(leaf, root.RawData));
        }
    }

    [Fact]
    public void IsIssuedBy_LookAlikeIssuerWithSameNameAndOtherKey_IsFalse()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (root, _) = TestCertificates.Authority("CN=Example Root, O=Example", rootKey);
        var (impostor, _) = TestCertificates.Authority("CN=Example Root, O=Example", impostorKey);
        using (root)
        using (impostor)
        {
            var leaf = TestCertificates.Issue("CN=leaf", PublicKeyOf(leafKey), root, rootKey);

            Assert.Equal(root.SubjectName.RawData, impostor.SubjectName.RawData);
            Assert.True(CertificateChainLinker.IsIssuedBy(leaf, root.RawData));
            Assert.False(CertificateChainLinker.IsIssuedBy(leaf, impostor.RawData));
        }
    }

    [Fact]
    public void IsIssuedBy_IssuerNameDiffersInCaseSpacingAndStringType_LinksPerRfc5280()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (root, _) = TestCertificates.Authority("CN=Example Root CA, O=Example", rootKey);
        using (root)
        {
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName("CN=leaf"), PublicKeyOf(leafKey), HashAlgorithmName.SHA256);
            var issuerName = Name(("2.5.4.10", UniversalTagNumber.PrintableString, "EXAMPLE"), ("2.5.4.3", UniversalTagNumber.BMPString, "  example   root ca "));
            using var leaf = request.Create(issuerName, X509SignatureGenerator.CreateForECDsa(rootKey), TestCertificates.NotBefore, TestCertificates.NotAfter, [0x09]);

            Assert.NotEqual(root.SubjectName.RawData, leaf.IssuerName.RawData);
            Assert.True(CertificateChainLinker.IsIssuedBy(leaf.RawData, root.RawData));
        }
    }

    [Fact]
    public async Task IsIssuedBy_Ed25519ChainMadeByOpenSsl_LinksEachLevelAndNothingElse()
    {
        using var directory = new TempDirectory();
        var chain = await OpenSslChainAsync(directory.Path, "ed25519");

        AssertLinks(chain);
    }

    [Fact]
    public async Task IsIssuedBy_Ed448ChainMadeByOpenSsl_LinksEachLevelAndNothingElse()
    {
        using var directory = new TempDirectory();
        var chain = await OpenSslChainAsync(directory.Path, "ed448");

        AssertLinks(chain);
    }

    [Fact]
    public void IsIssuedBy_NotACertificate_ThrowsFormatException()
    {
        Assert.Throws<CertificateFormatException>(() => CertificateChainLinker.IsIssuedBy([0x30, 0x00], TestCertificates.SelfSignedEc()));
    }

    private static void AssertLinks((byte[] Root, byte[] Intermediate, byte[] Leaf) chain)
    {
        Assert.True(CertificateChainLinker.IsIssuedBy(chain.Root, chain.Root));
        Assert.True(CertificateChainLinker.IsIssuedBy(chain.Intermediate, chain.Root));
        Assert.True(CertificateChainLinker.IsIssuedBy(chain.Leaf, chain.Intermediate));
        Assert.False(CertificateChainLinker.IsIssuedBy(chain.Leaf, chain.Root));
        Assert.False(CertificateChainLinker.IsIssuedBy(chain.Root, chain.Intermediate));
        Assert.False(CertificateChainLinker.IsIssuedBy(chain.Intermediate, chain.Leaf));
        Assert.True(CertificateReader.ReadFacts(chain.Root).IsSelfSigned);
        Assert.False(CertificateReader.ReadFacts(chain.Intermediate).IsSelfSigned);
    }

    private static (byte[] Root, byte[] Intermediate, byte[] Leaf) BuildChain(AsymmetricAlgorithm rootKey, AsymmetricAlgorithm intermediateKey, PublicKey leafKey)
    {
        var (root, _) = TestCertificates.Authority("CN=Test Root", rootKey);
        using (root)
        {
            var intermediateDer = TestCertificates.Issue("CN=Test Intermediate", PublicKeyOf(intermediateKey), root, rootKey, isCa: true);
            using var intermediate = X509CertificateLoader.LoadCertificate(intermediateDer);
            var leaf = TestCertificates.Issue("CN=leaf.example.com", leafKey, intermediate, intermediateKey);
            return (root.RawData, intermediateDer, leaf);
        }
    }

    private static async Task<(byte[] Root, byte[] Intermediate, byte[] Leaf)> OpenSslChainAsync(string directory, string algorithm)
    {
        await OpenSsl.ScriptAsync(directory, $"""
            printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=unused\n[ca]\nbasicConstraints=critical,CA:TRUE\n' > openssl.cnf
            openssl req -x509 -newkey {algorithm} -nodes -keyout root.key -out root.pem -subj '/CN=Ed Root' -config openssl.cnf -extensions ca -days 30
            openssl req -new -newkey {algorithm} -nodes -keyout int.key -out int.csr -subj '/CN=Ed Intermediate' -config openssl.cnf
            openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -out int.pem -extfile openssl.cnf -extensions ca -days 30 -set_serial 2
            openssl req -new -newkey {algorithm} -nodes -keyout leaf.key -out leaf.csr -subj '/CN=leaf.example.com' -config openssl.cnf
            openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -out leaf.pem -days 30 -set_serial 3
            """);
        return (
            Pem.ReadSingleDer(Path.Combine(directory, "root.pem")),
            Pem.ReadSingleDer(Path.Combine(directory, "int.pem")),
            Pem.ReadSingleDer(Path.Combine(directory, "leaf.pem")));
    }

    private static PublicKey PublicKeyOf(AsymmetricAlgorithm key)
    {
        return PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
    }

    private static X500DistinguishedName Name(params (string Oid, UniversalTagNumber Type, string Value)[] rdns)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, type, value) in rdns)
            {
                using (writer.PushSetOf())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(oid);
                        writer.WriteCharacterString(type, value);
                    }
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }
}
