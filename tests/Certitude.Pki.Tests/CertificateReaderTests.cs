using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary><see cref="CertificateReader"/> on certificates made with .NET's CertificateRequest, and on broken input.</summary>
public sealed class CertificateReaderTests
{
    [Fact]
    public void ReadFacts_DotnetRsaCertificate_AgreesWithX509Certificate2()
    {
        var der = TestCertificates.SelfSignedRsa("CN=rsa.example.com, O=Example, OU=Web, OU=Ops");
        using var reference = X509CertificateLoader.LoadCertificate(der);

        var facts = CertificateReader.ReadFacts(der);

        Assert.Equal(der, facts.Der);
        Assert.Equal(3, facts.Version);
        Assert.Equal(reference.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), facts.Sha256Fingerprint);
        Assert.Equal(reference.Thumbprint.ToLowerInvariant(), facts.Sha1Fingerprint);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(reference.PublicKey.ExportSubjectPublicKeyInfo())), facts.SpkiSha256);
        Assert.Equal(reference.SerialNumber.ToLowerInvariant(), facts.SerialNumber);
        Assert.Equal(TestCertificates.NotBefore, facts.NotBefore);
        Assert.Equal(TestCertificates.NotAfter, facts.NotAfter);
        // .NET encodes the string's last RDN first, so the RFC 4514 form reads as the input did.
        Assert.Equal("CN=rsa.example.com,O=Example,OU=Web,OU=Ops", facts.Subject);
        Assert.Equal("rsa.example.com", facts.SubjectCommonName);
        Assert.Equal("Example", facts.SubjectOrganization);
        Assert.Equal("Ops, Web", facts.SubjectOrganizationalUnit);
        Assert.Equal("RSA", facts.PublicKeyAlgorithm);
        Assert.Equal(2048, facts.PublicKeySize);
        Assert.Null(facts.PublicKeyCurve);
        Assert.Equal("sha256WithRSAEncryption", facts.SignatureAlgorithm);
        Assert.Equal("1.2.840.113549.1.1.11", facts.SignatureAlgorithmOid);
        Assert.True(facts.IsSelfSigned);
        Assert.Equal(ValidationLevel.Unknown, facts.ValidationLevel);
        Assert.Empty(facts.UnknownCriticalExtensions);
    }

    [Theory]
    [InlineData("nistP256", "P-256", 256, "ecdsa-with-SHA256")]
    [InlineData("nistP384", "P-384", 384, "ecdsa-with-SHA256")]
    [InlineData("nistP521", "P-521", 521, "ecdsa-with-SHA256")]
    public void ReadFacts_EcCertificate_ReportsCurveAndSize(string curveName, string curve, int size, string signature)
    {
        var der = TestCertificates.SelfSignedEc(new X500DistinguishedName("CN=ec"), ECCurve.CreateFromFriendlyName(curveName));

        var facts = CertificateReader.ReadFacts(der);

        Assert.Equal("EC", facts.PublicKeyAlgorithm);
        Assert.Equal(curve, facts.PublicKeyCurve);
        Assert.Equal(size, facts.PublicKeySize);
        Assert.Equal(signature, facts.SignatureAlgorithm);
        Assert.True(facts.IsSelfSigned);
    }

    [Fact]
    public void ReadFacts_Utf8Names_KeepsNonAsciiCharacters()
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("Société Générale Ünïcödé");
        name.AddCommonName("日本語 Zertifikat ✓");

        var facts = CertificateReader.ReadFacts(TestCertificates.SelfSignedEc(name.Build()));

        Assert.Equal("日本語 Zertifikat ✓", facts.SubjectCommonName);
        Assert.Equal("Société Générale Ünïcödé", facts.SubjectOrganization);
        // X500DistinguishedNameBuilder encodes the last added RDN first.
        Assert.Equal("O=Société Générale Ünïcödé,CN=日本語 Zertifikat ✓", facts.Subject);
    }

    [Fact]
    public void ReadFacts_ThousandSubjectAlternativeNames_ReadsEveryKindInOrder()
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Parse("198.51.100.7"));
            names.AddIpAddress(System.Net.IPAddress.Parse("2001:db8:0:0:1:0:0:1"));
            names.AddEmailAddress("ops@example.com");
            names.AddUri(new Uri("https://example.com/a"));
            names.AddUserPrincipalName("user@example.com");
            for (var i = 0; i < 995; i++)
            {
                names.AddDnsName($"h{i}.example.com");
            }

            request.CertificateExtensions.Add(names.Build());
        });

        var sans = CertificateReader.ReadFacts(der).SubjectAlternativeNames;

        Assert.Equal(1000, sans.Count);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, "198.51.100.7"), sans[0]);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, "2001:db8::1:0:0:1"), sans[1]);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.Email, "ops@example.com"), sans[2]);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.Uri, "https://example.com/a"), sans[3]);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.Other, "1.3.6.1.4.1.311.20.2.3:user@example.com"), sans[4]);
        Assert.Equal(new SubjectAlternativeName(SubjectAlternativeNameType.Dns, "h994.example.com"), sans[999]);
    }

    [Fact]
    public void ReadFacts_NoSubjectAlternativeName_ReturnsEmptyList()
    {
        Assert.Empty(CertificateReader.ReadFacts(TestCertificates.SelfSignedEc()).SubjectAlternativeNames);
    }

    [Fact]
    public void ReadFacts_UnknownCriticalExtension_RecordsItWithoutFailing()
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
        {
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.42", [0x05, 0x00], critical: true));
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.43", [0x05, 0x00], critical: false));
        });

        Assert.Equal(["1.3.6.1.4.1.99999.42"], CertificateReader.ReadFacts(der).UnknownCriticalExtensions);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 }, true)]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x11 }, false)]
    [InlineData(new byte[] { 0x30, 0x06, 0x02, 0x01, 0x11, 0x02, 0x01, 0x05 }, true)]
    public void ReadFacts_TlsFeatureExtension_ReportsMustStapleOnlyForStatusRequest(byte[] features, bool mustStaple)
    {
        // RFC 7633 §6: status_request is TLS extension 5; 17 is status_request_v2.
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.24", features, critical: false)));

        Assert.Equal(mustStaple, CertificateReader.ReadFacts(der).MustStaple);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void ReadFacts_EmbeddedSctList_CountsEntries(int count)
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.11129.2.4.2", SctList.ExtensionValue(count), critical: false)));

        Assert.Equal(count, CertificateReader.ReadFacts(der).EmbeddedSctCount);
    }

    [Theory]
    [InlineData(new[] { "2.23.140.1.2.1" }, ValidationLevel.DomainValidated)]
    [InlineData(new[] { "2.23.140.1.2.2" }, ValidationLevel.OrganizationValidated)]
    [InlineData(new[] { "2.23.140.1.2.3" }, ValidationLevel.IndividualValidated)]
    [InlineData(new[] { "2.23.140.1.1" }, ValidationLevel.ExtendedValidation)]
    [InlineData(new[] { "2.23.140.1.2.1", "2.23.140.1.1" }, ValidationLevel.ExtendedValidation)]
    [InlineData(new[] { "1.3.6.1.4.1.44947.1.1.1" }, ValidationLevel.Unknown)]
    public void ReadFacts_CertificatePolicies_DerivesValidationLevel(string[] policies, ValidationLevel level)
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("2.5.29.32", PoliciesExtension(policies), critical: false)));

        var facts = CertificateReader.ReadFacts(der);

        Assert.Equal(policies, facts.CertificatePolicies);
        Assert.Equal(level, facts.ValidationLevel);
    }

    [Fact]
    public void ReadFacts_KeyUsageAndExtendedKeyUsage_ReportsRfcNamesAndOids()
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.DecipherOnly, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 3, critical: true));
        });

        var facts = CertificateReader.ReadFacts(der);

        Assert.Equal(["digitalSignature", "keyAgreement", "decipherOnly"], facts.KeyUsages);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], facts.ExtendedKeyUsages);
        Assert.True(facts.IsCertificateAuthority);
        Assert.Equal(3, facts.PathLengthConstraint);
    }

    [Fact]
    public void ReadFacts_BerBooleanInBasicConstraints_ReadsLikeOpenSsl()
    {
        // BOOLEAN TRUE encoded as 0x01 is valid BER but not DER (X.690 §11.1); deployed CAs have issued such certificates.
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("2.5.29.19", [0x30, 0x03, 0x01, 0x01, 0x01], critical: true)));

        Assert.True(CertificateReader.ReadFacts(der).IsCertificateAuthority);
    }

    [Fact]
    public void ReadFacts_AuthorityAndSubjectKeyIdentifiers_ReportsHex()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (issuer, _) = TestCertificates.Authority("CN=Issuer", issuerKey);
        using (issuer)
        {
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Leaf", leafKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var leaf = request.Create(issuer, TestCertificates.NotBefore, TestCertificates.NotAfter, [0x05]);

            var issuerFacts = CertificateReader.ReadFacts(issuer.RawData);
            var leafFacts = CertificateReader.ReadFacts(leaf.RawData);

            Assert.Equal(issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!.ToLowerInvariant(), issuerFacts.SubjectKeyIdentifier);
            Assert.Equal(issuerFacts.SubjectKeyIdentifier, leafFacts.AuthorityKeyIdentifier);
            Assert.False(leafFacts.IsSelfSigned);
            Assert.Equal("Issuer", leafFacts.IssuerCommonName);
        }
    }

    [Fact]
    public void ReadFacts_SubjectEqualsIssuerButOtherKeySigned_IsNotSelfSigned()
    {
        using var otherKey = RSA.Create(2048);
        var (impostor, _) = TestCertificates.Authority("CN=Same Name", otherKey);
        using (impostor)
        {
            using var key = RSA.Create(2048);
            var der = TestCertificates.Issue("CN=Same Name", new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).PublicKey, impostor, otherKey);

            var facts = CertificateReader.ReadFacts(der);

            Assert.Equal(facts.Subject, facts.Issuer);
            Assert.False(facts.IsSelfSigned);
        }
    }

    [Fact]
    public void ReadFacts_UnsortedMultiValuedRdn_ReadsTheBerEncodedName()
    {
        // DER sorts the members of a SET OF (X.690 §11.6); this RDN lists UID before CN, as some encoders do.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var uid = Attribute("0.9.2342.19200300.100.1.1", "u1");
            var cn = Attribute("2.5.4.3", "name");
            writer.WriteEncodedValue([0x31, (byte)(uid.Length + cn.Length), .. uid, .. cn]);
        }

        var facts = CertificateReader.ReadFacts(TestCertificates.SelfSignedEc(new X500DistinguishedName(writer.Encode())));

        Assert.Equal("CN=name+UID=u1", facts.Subject);
        Assert.Equal("name", facts.SubjectCommonName);

        static byte[] Attribute(string oid, string value)
        {
            var attribute = new AsnWriter(AsnEncodingRules.DER);
            using (attribute.PushSequence())
            {
                attribute.WriteObjectIdentifier(oid);
                attribute.WriteCharacterString(UniversalTagNumber.UTF8String, value);
            }

            return attribute.Encode();
        }
    }

    [Fact]
    public void ReadFacts_EmptySubjectWithSan_ReturnsEmptyName()
    {
        var der = TestCertificates.SelfSignedEc(new X500DistinguishedName(""), configure: request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("only-san.example.com");
            request.CertificateExtensions.Add(names.Build(critical: true));
        });

        var facts = CertificateReader.ReadFacts(der);

        Assert.Equal("", facts.Subject);
        Assert.Null(facts.SubjectCommonName);
        Assert.Equal([new SubjectAlternativeName(SubjectAlternativeNameType.Dns, "only-san.example.com")], facts.SubjectAlternativeNames);
    }

    [Fact]
    public void ReadFacts_IpAddressOfOddLength_ReportsItAsOther()
    {
        // An address with a mask (8 bytes) belongs in name constraints, not in a subjectAltName; it is kept, not rejected.
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", [0x30, 0x0A, 0x87, 0x08, 10, 0, 0, 0, 255, 0, 0, 0], critical: false)));

        Assert.Equal([new SubjectAlternativeName(SubjectAlternativeNameType.Other, "iPAddress:#0A000000FF000000")], CertificateReader.ReadFacts(der).SubjectAlternativeNames);
    }

    [Fact]
    public void ReadFacts_Empty_ThrowsFormatException()
    {
        Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts([]));
    }

    [Fact]
    public void ReadFacts_TruncatedDer_SaysTruncated()
    {
        var der = TestCertificates.SelfSignedEc();

        var error = Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts(der.AsSpan(0, der.Length - 7)));

        Assert.StartsWith("truncated certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFacts_TrailingBytes_ThrowsFormatException()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts([.. TestCertificates.SelfSignedEc(), 0x00]));

        Assert.Contains("trailing data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFacts_RandomBytes_ThrowsFormatException()
    {
        var random = new Random(20240601);
        var bytes = new byte[1024];
        random.NextBytes(bytes);

        Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts(bytes));
    }

    [Fact]
    public void ReadFacts_SequenceThatIsNotACertificate_NamesThePartThatFailed()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
        }

        var error = Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts(writer.Encode()));

        Assert.StartsWith("not a valid X.509 certificate: cannot read tbsCertificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFacts_MalformedSubjectAlternativeName_ThrowsNamingTheExtension()
    {
        var der = TestCertificates.SelfSignedEc(configure: request =>
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", [0x30, 0x03, 0x82, 0x05, 0x61], critical: false)));

        var error = Assert.Throws<CertificateFormatException>(() => CertificateReader.ReadFacts(der));

        Assert.Contains("2.5.29.17", error.Message, StringComparison.Ordinal);
    }

    private static byte[] PoliciesExtension(IEnumerable<string> policies)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var policy in policies)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(policy);
                }
            }
        }

        return writer.Encode();
    }
}
