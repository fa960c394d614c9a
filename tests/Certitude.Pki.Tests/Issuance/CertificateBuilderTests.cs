using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Issuance;

/// <summary>
/// <see cref="CertificateBuilder"/> against two independent path validators, openssl (Debian's OpenSSL 3.0) and certtool
/// (GnuTLS 3.7): a root, an intermediate and a TLS server leaf per key type, with the extensions read back by
/// <c>openssl x509 -text</c>.
/// </summary>
public sealed class CertificateBuilderTests(IssuedChains chains)
{
    public static TheoryData<SigningKeyType> KeyTypes => new(Enum.GetValues<SigningKeyType>());

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Issue_ChainOfEachKeyType_OpenSslVerifiesStrictly(SigningKeyType type)
    {
        using var directory = new TempDirectory();
        chains.Get(type).WriteTo(directory);

        // -x509_strict adds RFC 5280 checks: key identifiers present, basic constraints critical in CAs, and more.
        var result = await OpenSsl.RunAsync(
            directory.Path, "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem");

        Assert.Equal("leaf.pem: OK", result.Text.Trim());
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Issue_ChainOfEachKeyType_GnuTlsVerifies(SigningKeyType type)
    {
        var chain = chains.Get(type);
        using var directory = new TempDirectory();
        chain.WriteTo(directory);
        File.WriteAllText(directory.File("full.pem"), File.ReadAllText(directory.File("chain.pem")) + Pem.Certificate(chain.Root.RawData));

        // certtool refuses --verify-chain together with --load-ca-certificate: --verify checks the chain against the
        // trusted root (with host name and purpose), --verify-chain the whole chain ending in the self-signed root.
        var againstRoot = await CertTool.RunAsync(
            directory.Path,
            "--verify", "--verify-profile", "medium", "--verify-hostname", TestChain.LeafName, "--verify-purpose", TestChain.ServerAuth,
            "--load-ca-certificate", "root.pem", "--infile", "chain.pem");
        var wholeChain = await CertTool.RunAsync(directory.Path, "--verify-chain", "--infile", "full.pem");

        Assert.Contains("Chain verification output: Verified. The certificate is trusted.", againstRoot.Text, StringComparison.Ordinal);
        Assert.Contains("Chain verification output: Verified.", wholeChain.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_Leaf_OpenSslShowsExtensionsAsSet()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var leaf = await OpenSslViews.OfAsync(chain.Leaf);
        var intermediate = await OpenSslViews.OfAsync(chain.Intermediate);

        Assert.Equal(3, leaf.Version);
        Assert.Equal(new BigInteger(chain.LeafTemplate.SerialNumber, isUnsigned: true, isBigEndian: true), leaf.Serial);
        Assert.Equal("CN=www.example.test", leaf.Subject);
        Assert.Equal(intermediate.Subject, leaf.Issuer);
        Assert.Equal("ecdsa-with-SHA256", leaf.SignatureAlgorithm);
        AssertExtension(leaf, "X509v3 Basic Constraints", critical: true, "CA:FALSE");
        AssertExtension(leaf, "X509v3 Key Usage", critical: true, "Digital Signature, Key Encipherment");
        AssertExtension(leaf, "X509v3 Extended Key Usage", critical: false, "TLS Web Server Authentication");
        AssertExtension(
            leaf, "X509v3 Subject Alternative Name", critical: false,
            "DNS:www.example.test, DNS:example.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
        AssertExtension(leaf, "X509v3 CRL Distribution Points", critical: false, "Full Name:", "URI:" + TestChain.CrlUrl);
        AssertExtension(
            leaf, "Authority Information Access", critical: false, "OCSP - URI:" + TestChain.OcspUrl, "CA Issuers - URI:" + TestChain.CaIssuerUrl);
        AssertExtension(leaf, "X509v3 Certificate Policies", critical: false, "Policy: " + TestChain.DomainValidated);
        Assert.False(leaf.Extensions["X509v3 Subject Key Identifier"].Critical);
        Assert.False(leaf.Extensions["X509v3 Authority Key Identifier"].Critical);
        Assert.Equal(intermediate.Lines("X509v3 Subject Key Identifier"), leaf.Lines("X509v3 Authority Key Identifier"));
        Assert.Equal(9, leaf.Extensions.Count);
    }

    [Fact]
    public async Task Issue_Intermediate_OpenSslShowsCaExtensionsAsSet()
    {
        var chain = chains.Get(SigningKeyType.Rsa2048);
        var root = await OpenSslViews.OfAsync(chain.Root);
        var intermediate = await OpenSslViews.OfAsync(chain.Intermediate);

        Assert.Equal("sha256WithRSAEncryption", intermediate.SignatureAlgorithm);
        AssertExtension(root, "X509v3 Basic Constraints", critical: true, "CA:TRUE, pathlen:1");
        AssertExtension(root, "X509v3 Key Usage", critical: true, "Certificate Sign, CRL Sign");
        Assert.Equal(root.Lines("X509v3 Subject Key Identifier"), root.Lines("X509v3 Authority Key Identifier"));
        Assert.Equal(root.Subject, root.Issuer);
        AssertExtension(intermediate, "X509v3 Basic Constraints", critical: true, "CA:TRUE, pathlen:0");
        AssertExtension(intermediate, "X509v3 Key Usage", critical: true, "Digital Signature, Certificate Sign, CRL Sign");
        AssertExtension(intermediate, "X509v3 CRL Distribution Points", critical: false, "Full Name:", "URI:" + TestChain.RootCrlUrl);
        AssertExtension(
            intermediate, "Authority Information Access", critical: false,
            "OCSP - URI:" + TestChain.OcspUrl, "CA Issuers - URI:" + TestChain.RootCaIssuerUrl);
        AssertExtension(intermediate, "X509v3 Certificate Policies", critical: false, "Policy: X509v3 Any Policy");
        Assert.Equal(root.Lines("X509v3 Subject Key Identifier"), intermediate.Lines("X509v3 Authority Key Identifier"));
        Assert.False(intermediate.Extensions.ContainsKey("X509v3 Extended Key Usage"));
    }

    [Theory]
    [InlineData(SigningKeyType.EcP256, "ecdsa-with-SHA256")]
    [InlineData(SigningKeyType.EcP384, "ecdsa-with-SHA384")]
    [InlineData(SigningKeyType.Rsa4096, "sha256WithRSAEncryption")]
    [InlineData(SigningKeyType.Ed25519, "ED25519")]
    public async Task CreateSelfSigned_EachKeyType_UsesItsSignatureAlgorithm(SigningKeyType type, string expected)
    {
        var root = chains.Get(type).Root;

        Assert.Equal(expected, (await OpenSslViews.OfAsync(root)).SignatureAlgorithm);
    }

    [Fact]
    public void CreateSelfSigned_Ed25519_WritesAlgorithmIdentifierWithoutParameters()
    {
        var certificate = new AsnReader(chains.Get(SigningKeyType.Ed25519).Root.RawData, AsnEncodingRules.DER).ReadSequence();
        // TBSCertificate: version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo (RFC 5280 §4.1).
        var tbs = certificate.ReadSequence();
        var outerAlgorithm = certificate.ReadEncodedValue();
        tbs.ReadEncodedValue();
        tbs.ReadEncodedValue();
        var innerAlgorithm = tbs.ReadEncodedValue();
        tbs.ReadEncodedValue();
        tbs.ReadEncodedValue();
        tbs.ReadEncodedValue();
        var spki = tbs.ReadEncodedValue();

        // RFC 8410 §3: for id-Ed25519 the parameters MUST be absent, in both signature fields and in the key.
        Assert.Equal("300506032b6570", Convert.ToHexStringLower(outerAlgorithm.Span));
        Assert.Equal("300506032b6570", Convert.ToHexStringLower(innerAlgorithm.Span));
        Assert.Equal(44, spki.Length);
        Assert.StartsWith("302a300506032b6570032100", Convert.ToHexStringLower(spki.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_Leaf_CarriesNoPrivateKeyAndTheTemplateSerial()
    {
        var chain = chains.Get(SigningKeyType.EcP384);

        Assert.False(chain.Leaf.HasPrivateKey);
        Assert.False(chain.Root.HasPrivateKey);
        Assert.Equal(chain.LeafTemplate.SerialNumber, chain.Leaf.SerialNumberBytes.ToArray());
        Assert.True(chain.LeafKey.Matches(chain.Leaf));
        Assert.False(chain.IntermediateKey.Matches(chain.Leaf));
    }

    [Fact]
    public async Task Issue_EmptySubject_MarksSubjectAlternativeNamesCritical()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = TestChain.LeafTemplateFor(chain.LeafKey, DateTimeOffset.UtcNow) with { Subject = new X500DistinguishedName("") };
        using var leaf = CertificateBuilder.Issue(template, chain.LeafKey.PublicKey, chain.Intermediate, chain.IntermediateKey);
        using var directory = new TempDirectory();
        chain.WriteTo(directory);
        File.WriteAllText(directory.File("empty.pem"), Pem.Certificate(leaf.RawData));

        var view = await OpenSslViews.OfAsync(leaf);
        var verify = await OpenSsl.RunAsync(directory.Path, "verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "int.pem", "empty.pem");

        Assert.True(view.Extensions["X509v3 Subject Alternative Name"].Critical);
        Assert.Equal("", view.Subject);
        Assert.Equal("empty.pem: OK", verify.Text.Trim());
    }

    [Fact]
    public void Issue_NotAfterBeyondIssuer_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { NotAfter = chain.Intermediate.NotAfter.ToUniversalTime().AddSeconds(1) };

        var error = Assert.Throws<ArgumentException>(() => Issue(chain, template));

        Assert.Contains("after its issuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_NotAfterEqualToIssuer_Succeeds()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { NotAfter = chain.Intermediate.NotAfter.ToUniversalTime().AddMilliseconds(999) };

        using var leaf = Issue(chain, template);

        Assert.Equal(chain.Intermediate.NotAfter, leaf.NotAfter);
    }

    [Fact]
    public void Issue_NotBeforeAfterNotAfter_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { NotBefore = chain.LeafTemplate.NotAfter.AddSeconds(1) };

        var error = Assert.Throws<ArgumentException>(() => Issue(chain, template));

        Assert.Contains("notBefore", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("80", "negative")]
    [InlineData("ff01", "negative")]
    [InlineData("00", "zero")]
    [InlineData("000000", "zero")]
    [InlineData("0001", "leading zero")]
    [InlineData("0102030405060708090a0b0c0d0e0f101112131415", "at most 20")]
    public void Issue_BadSerialNumber_Throws(string serialHex, string expected)
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { SerialNumber = Convert.FromHexString(serialHex) };

        var error = Assert.Throws<ArgumentException>(() => Issue(chain, template));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00ff")]
    [InlineData("01")]
    [InlineData("7fffffffffffffffffffffffffffffffffffffff")]
    public void Issue_PositiveMinimalSerialNumber_AppearsAsGiven(string serialHex)
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { SerialNumber = Convert.FromHexString(serialHex) };

        using var leaf = Issue(chain, template);

        Assert.Equal(serialHex, Convert.ToHexStringLower(leaf.SerialNumberBytes.Span));
    }

    [Fact]
    public void Issue_IssuerKeyOfAnotherCertificate_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);

        var error = Assert.Throws<ArgumentException>(
            () => CertificateBuilder.Issue(chain.LeafTemplate, chain.LeafKey.PublicKey, chain.Intermediate, chain.RootKey));

        Assert.Equal("issuerKey", error.ParamName);
    }

    [Fact]
    public void Issue_IssuerNotCa_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);

        var error = Assert.Throws<ArgumentException>(
            () => CertificateBuilder.Issue(chain.LeafTemplate, chain.RootKey.PublicKey, chain.Leaf, chain.LeafKey));

        Assert.Contains("not a CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_CaUnderPathLengthZero_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);

        var error = Assert.Throws<ArgumentException>(
            () => CertificateBuilder.Issue(chain.IntermediateTemplate, chain.LeafKey.PublicKey, chain.Intermediate, chain.IntermediateKey));

        Assert.Contains("path length constraint is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_CaWithoutKeyCertSign_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.IntermediateTemplate with { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign };

        var error = Assert.Throws<ArgumentException>(
            () => CertificateBuilder.Issue(template, chain.LeafKey.PublicKey, chain.Root, chain.RootKey));

        Assert.Contains("keyCertSign", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_EmptySubjectWithoutNames_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { Subject = new X500DistinguishedName(""), SubjectAlternativeNames = [] };

        var error = Assert.Throws<ArgumentException>(() => Issue(chain, template));

        Assert.Contains("empty subject", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SubjectAlternativeNameType.IpAddress, "300.1.1.1")]
    [InlineData(SubjectAlternativeNameType.IpAddress, "127.1")]
    [InlineData(SubjectAlternativeNameType.IpAddress, "10")]
    [InlineData(SubjectAlternativeNameType.Uri, "not a uri")]
    [InlineData(SubjectAlternativeNameType.Dns, "")]
    [InlineData(SubjectAlternativeNameType.Other, "1.2.3.4:value")]
    public void Issue_UnusableSubjectAlternativeName_Throws(SubjectAlternativeNameType type, string value)
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var template = chain.LeafTemplate with { SubjectAlternativeNames = [new(type, value)] };

        var error = Assert.Throws<ArgumentException>(() => Issue(chain, template));

        Assert.Contains(type == SubjectAlternativeNameType.Other ? "Other" : $"\"{value}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewSerialNumber_Thousand_DistinctPositiveSixteenOctets()
    {
        var serials = Enumerable.Range(0, 1000).Select(_ => CertificateBuilder.NewSerialNumber()).ToList();

        Assert.All(serials, s =>
        {
            Assert.Equal(16, s.Length);
            // The first octet is 0x01–0x7F: positive, and no octet of the DER INTEGER is redundant (X.690 §8.3.2).
            Assert.InRange(s[0], 0x01, 0x7F);
            Assert.True(new BigInteger(s, isUnsigned: false, isBigEndian: true) > 0);
        });
        Assert.Equal(1000, serials.Select(Convert.ToHexString).Distinct(StringComparer.Ordinal).Count());
    }

    private static X509Certificate2 Issue(TestChain chain, CertificateTemplate template)
    {
        return CertificateBuilder.Issue(template, chain.LeafKey.PublicKey, chain.Intermediate, chain.IntermediateKey);
    }

    private static void AssertExtension(OpenSslView view, string name, bool critical, params string[] lines)
    {
        Assert.True(view.Extensions.TryGetValue(name, out var extension), $"openssl shows no {name}");
        Assert.Equal(critical, extension.Critical);
        Assert.Equal(lines, extension.Lines);
    }
}
