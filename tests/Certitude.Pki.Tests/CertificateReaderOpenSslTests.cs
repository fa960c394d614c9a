using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary>
/// <see cref="CertificateReader"/> against openssl: every certificate here is made by openssl (or by .NET and read by
/// openssl), and the expected values are what <c>openssl x509 -text</c> prints for it.
/// </summary>
public sealed class CertificateReaderOpenSslTests(OpenSslCorpus corpus) : IClassFixture<OpenSslCorpus>
{
    public static TheoryData<string> Cases => OpenSslCorpus.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReadFacts_OpenSslCertificate_MatchesOpenSslText(string name)
    {
        var facts = CertificateReader.ReadFacts(corpus.Der(name));

        OpenSslComparison.AssertAllFieldsMatch(facts, corpus.View(name));
    }

    [Fact]
    public void OpenSslView_LeafText_HasEveryExtensionTheComparisonReads()
    {
        // Guards the comparison above against passing vacuously because the text parser missed a section.
        var view = corpus.View("rsa4096-leaf");

        string[] expected =
        [
            "X509v3 Basic Constraints", "X509v3 Key Usage", "X509v3 Extended Key Usage", "X509v3 Subject Alternative Name",
            "X509v3 Certificate Policies", "X509v3 CRL Distribution Points", "Authority Information Access", "TLS Feature",
            "CT Precertificate SCTs", "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), view.Extensions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, view.Lines("CT Precertificate SCTs").Count(l => l == "Signed Certificate Timestamp:"));
        Assert.Equal(4096, view.PublicKeyBits);
        Assert.NotNull(view.Sha1Fingerprint);
        Assert.NotNull(view.SpkiSha256);
        Assert.Equal(3, view.Version);
    }

    [Theory]
    [InlineData("rsa2048-root", true)]
    [InlineData("rsa4096-leaf", false)]
    [InlineData("ec-p256-negative-serial", true)]
    [InlineData("ec-p384-ev", false)]
    [InlineData("ec-p521-special-names", true)]
    [InlineData("ed25519", true)]
    [InlineData("ed448", true)]
    [InlineData("rsa-pss-salt20", true)]
    [InlineData("rsa-pss-key", true)]
    [InlineData("v1", true)]
    [InlineData("dsa", true)]
    [InlineData("rsa-sha224", true)]
    [InlineData("ec-sha3-256", true)]
    [InlineData("dotnet-rsa16384", false)]
    [InlineData("dotnet-rsa-pss", true)]
    [InlineData("dotnet-odd-names", true)]
    public void ReadFacts_OpenSslCertificate_ReportsSelfSignedAsMade(string name, bool selfSigned)
    {
        Assert.Equal(selfSigned, CertificateReader.ReadFacts(corpus.Der(name)).IsSelfSigned);
    }

    [Fact]
    public void ReadFacts_LeafWithEveryExtension_ReportsTheConfiguredValues()
    {
        // Values from the v3_leaf section of the openssl configuration the corpus writes.
        var facts = CertificateReader.ReadFacts(corpus.Der("rsa4096-leaf"));

        Assert.Equal("008fedcba9876543210123456789abcdef01234567", facts.SerialNumber);
        Assert.Equal(4096, facts.PublicKeySize);
        Assert.Equal("Wurzel-CA Ü", facts.IssuerCommonName);
        Assert.Equal("Zertifizierungsstelle Müller GmbH", facts.IssuerOrganization);
        Assert.Equal("PKI, Wurzel", facts.IssuerOrganizationalUnit);
        Assert.Equal("www.example.com", facts.SubjectCommonName);
        Assert.Equal(
            [
                new(SubjectAlternativeNameType.Dns, "www.example.com"),
                new(SubjectAlternativeNameType.Dns, "example.com"),
                new(SubjectAlternativeNameType.IpAddress, "192.0.2.10"),
                new(SubjectAlternativeNameType.IpAddress, "2001:db8::10"),
                new(SubjectAlternativeNameType.Email, "hostmaster@example.com"),
                new SubjectAlternativeName(SubjectAlternativeNameType.Uri, "https://example.com/service"),
            ],
            facts.SubjectAlternativeNames);
        Assert.Equal(ValidationLevel.DomainValidated, facts.ValidationLevel);
        Assert.True(facts.MustStaple);
        Assert.Equal(3, facts.EmbeddedSctCount);
        Assert.Equal(["http://ocsp.example.com"], facts.OcspUrls);
        Assert.Equal(["http://ca.example.com/root.crt"], facts.CaIssuerUrls);
        Assert.Equal(["http://crl.example.com/root.crl", "http://crl2.example.com/root.crl"], facts.CrlDistributionPoints);
        Assert.Equal(CertificateReader.ReadFacts(corpus.Der("rsa2048-root")).SubjectKeyIdentifier, facts.AuthorityKeyIdentifier);
        Assert.True(CertificateChainLinker.IsIssuedBy(corpus.Der("rsa4096-leaf"), corpus.Der("rsa2048-root")));
    }

    [Fact]
    public void ReadFacts_RootWithPathLength_ReportsCertificateAuthority()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("rsa2048-root"));

        Assert.True(facts.IsCertificateAuthority);
        Assert.Equal(1, facts.PathLengthConstraint);
        Assert.Equal(["keyCertSign", "cRLSign"], facts.KeyUsages);
        Assert.Equal(facts.Subject, facts.Issuer);
        Assert.Equal("CN=Wurzel-CA Ü,OU=Wurzel,OU=PKI,O=Zertifizierungsstelle Müller GmbH,C=DE", facts.Subject);
    }

    [Theory]
    [InlineData("ec-p384-ev", ValidationLevel.ExtendedValidation)]
    [InlineData("ec-p521-special-names", ValidationLevel.OrganizationValidated)]
    [InlineData("ed25519", ValidationLevel.IndividualValidated)]
    [InlineData("rsa4096-leaf", ValidationLevel.DomainValidated)]
    [InlineData("rsa2048-root", ValidationLevel.Unknown)]
    public void ReadFacts_CaBrowserForumPolicy_ReportsValidationLevel(string name, ValidationLevel level)
    {
        Assert.Equal(level, CertificateReader.ReadFacts(corpus.Der(name)).ValidationLevel);
    }

    [Fact]
    public void ReadFacts_EvSubject_UsesOpenSslAttributeNames()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("ec-p384-ev"));

        Assert.Equal(
            "CN=ev.example.com,O=Beispiel AG,L=München,C=DE,serialNumber=HRB 12345,businessCategory=Private Organization,jurisdictionST=Bayern,jurisdictionC=DE",
            facts.Subject);
        Assert.Equal("P-384", facts.PublicKeyCurve);
        Assert.Equal("sha384WithRSAEncryption", facts.SignatureAlgorithm);
    }

    [Fact]
    public void ReadFacts_SpecialCharactersAndMultiValuedRdn_EscapesPerRfc4514()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("ec-p521-special-names"));

        Assert.Equal(
            "emailAddress=admin@example.com,title=Dr\\<x\\>\\;y,STREET=Main \\\"St\\\",CN=trail\\ ,UID=u1+OU=\\ lead,O=\\#hash\\, =eq,DC=example,DC=com",
            facts.Subject);
        Assert.Equal(["1.2.3.4.5.6.7"], facts.UnknownCriticalExtensions);
        Assert.Equal(["digitalSignature", "nonRepudiation", "keyAgreement", "encipherOnly"], facts.KeyUsages);
    }

    [Fact]
    public void ReadFacts_Ed25519WithEveryNameType_RendersEachGeneralName()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("ed25519"));

        Assert.Equal("Ed25519", facts.PublicKeyAlgorithm);
        Assert.Equal(255, facts.PublicKeySize);
        Assert.Equal("ED25519", facts.SignatureAlgorithm);
        Assert.Equal(
            [
                new(SubjectAlternativeNameType.Dns, "ed.example.com"),
                new(SubjectAlternativeNameType.IpAddress, "10.0.0.1"),
                new(SubjectAlternativeNameType.Other, "1.3.6.1.4.1.311.20.2.3:user@example.com"),
                new(SubjectAlternativeNameType.Other, "registeredID:1.2.3.4"),
                new SubjectAlternativeName(SubjectAlternativeNameType.DirectoryName, "O=Example,CN=Directory Entry"),
            ],
            facts.SubjectAlternativeNames);
        Assert.Contains("1.3.6.1.4.1.311.10.3.12", facts.ExtendedKeyUsages);
    }

    [Fact]
    public void ReadFacts_ManySans_ReadsAllThousand()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("many-sans"));

        Assert.Equal(1000, facts.SubjectAlternativeNames.Count);
        Assert.Equal("host1000.example.com", facts.SubjectAlternativeNames[^1].Value);
    }

    [Fact]
    public void ReadFacts_VersionOneCertificate_HasNoExtensionFacts()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("v1"));

        Assert.Equal(1, facts.Version);
        Assert.Empty(facts.SubjectAlternativeNames);
        Assert.False(facts.IsCertificateAuthority);
        Assert.Null(facts.SubjectKeyIdentifier);
        Assert.Equal("Legacy", facts.SubjectOrganization);
    }

    [Fact]
    public void ReadFacts_NegativeSerial_KeepsTwosComplementBytes()
    {
        // openssl prints "serial=-1234" for this certificate; its INTEGER content is 0xED 0xCC.
        var facts = CertificateReader.ReadFacts(corpus.Der("ec-p256-negative-serial"));

        Assert.Equal("edcc", facts.SerialNumber);
        Assert.Empty(facts.SubjectAlternativeNames);
    }

    [Fact]
    public void ReadFacts_RsaPssKey_ReportsRsaPssAlgorithm()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("rsa-pss-key"));

        Assert.Equal("RSA-PSS", facts.PublicKeyAlgorithm);
        Assert.Equal("rsassaPss", facts.SignatureAlgorithm);
        Assert.Equal("1.2.840.113549.1.1.10", facts.SignatureAlgorithmOid);
    }

    [Fact]
    public void ReadFacts_FakeRsa16384Key_ReportsKeySize()
    {
        Assert.Equal(16384, CertificateReader.ReadFacts(corpus.Der("dotnet-rsa16384")).PublicKeySize);
    }

    [Fact]
    public void ReadFacts_StringTypesAndControlCharacters_MatchesOpenSslAfterUtf8Unescaping()
    {
        var facts = CertificateReader.ReadFacts(corpus.Der("dotnet-odd-names"));

        Assert.Equal("UID=uid=7+CN=a\\+b,O=\\#ctl\\01x\\7F,1.2.3.4=#0C0568656C6C6F,CN=bü中\\,,OU=Mül,C=CH", facts.Subject);
        Assert.Equal("bü中,", facts.SubjectCommonName);
        Assert.Equal("Mül", facts.SubjectOrganizationalUnit);
    }
}
