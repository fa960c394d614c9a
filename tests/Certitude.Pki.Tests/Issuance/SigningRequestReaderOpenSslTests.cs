using System.Security.Cryptography;
using System.Text;

using Certitude.Pki.Issuance;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Issuance;

/// <summary>
/// <see cref="SigningRequestReader"/> against openssl: every request is made by <c>openssl req -new</c>, and the expected
/// values are what <c>openssl req -text</c> prints for it.
/// </summary>
public sealed class SigningRequestReaderOpenSslTests(OpenSslSigningRequests requests) : IClassFixture<OpenSslSigningRequests>
{
    private const string BadSignature = "the CSR's signature does not verify: it was altered or not signed by its key";

    public static TheoryData<string> Cases => OpenSslSigningRequests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_OpenSslRequest_MatchesOpenSslText(string name)
    {
        var view = requests.View(name);

        var request = SigningRequestReader.Read(requests.Pem(name));

        Assert.Equal(view.Subject, request.SubjectDistinguishedName);
        Assert.Equal(view.SubjectAlternativeNames, request.SubjectAlternativeNames);
        Assert.Equal(view.SignatureAlgorithm, request.SignatureAlgorithm);
        Assert.Equal(
            view.PublicKeyAlgorithm switch
            {
                "rsaEncryption" => "RSA",
                "id-ecPublicKey" => "EC",
                "ED25519" => "Ed25519",
                var other => other,
            },
            request.Key.Algorithm);
        // openssl prints no size for Ed25519 keys; RFC 8032 §5.1 curve25519 keys are 255-bit.
        Assert.Equal(view.PublicKeyBits ?? 255, request.Key.Size);
        Assert.Equal(view.NistCurve, request.Key.Curve);
        Assert.Equal(view.SignatureAlgorithm is "sha1WithRSAEncryption" or "ecdsa-with-SHA1", request.SignedWithSha1);
    }

    [Fact]
    public void Read_Rsa2048Request_ReportsTheRequestedValues()
    {
        // Values from the openssl req command line in OpenSslSigningRequests.
        var request = SigningRequestReader.Read(requests.Pem("rsa2048"));

        Assert.Equal("CN=www.example.com,O=Example GmbH,C=DE", request.SubjectDistinguishedName);
        Assert.Equal("www.example.com", request.SubjectCommonName);
        Assert.Equal(
            [
                new(SubjectAlternativeNameType.Dns, "a.example.com"),
                new(SubjectAlternativeNameType.IpAddress, "127.0.0.1"),
                new(SubjectAlternativeNameType.Email, "x@example.com"),
            ],
            request.SubjectAlternativeNames);
        Assert.Equal(new PublicKeyDescription("RSA", 2048, null), request.Key);
        Assert.Equal("sha256WithRSAEncryption", request.SignatureAlgorithm);
        Assert.False(request.SignedWithSha1);
        Assert.Equal(request.Der, DerOf(requests.Pem("rsa2048")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_OpenSslRequest_PublicKeyMatchesOpenSslPubkey(string name)
    {
        var request = SigningRequestReader.Read(requests.Pem(name));

        Assert.Equal(requests.PublicKeyDer(name), request.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(request.Key, PublicKeyDescription.Describe(request.PublicKey));
    }

    [Fact]
    public void Read_SubjectAsX500Name_MatchesTheEncodedSubject()
    {
        var request = SigningRequestReader.Read(requests.Pem("ec-p256"));

        Assert.Equal("CN=www.example.com, O=Example GmbH, C=DE", request.Subject.Name);
    }

    [Fact]
    public void Read_CommonNameOnly_HasNoAlternativeNames()
    {
        var request = SigningRequestReader.Read(requests.Pem("cn-only"));

        Assert.Equal("only.example.com", request.SubjectCommonName);
        Assert.Empty(request.SubjectAlternativeNames);
    }

    [Fact]
    public void Read_PemWithTextAround_ReadsTheRequest()
    {
        var text = "Hello, please sign this:\r\n\r\n" + Encoding.ASCII.GetString(requests.Pem("ec-p384")) + "\r\nThanks, Alice\r\n";

        var request = SigningRequestReader.Read(Encoding.ASCII.GetBytes(text));

        Assert.Equal(DerOf(requests.Pem("ec-p384")), request.Der);
    }

    [Fact]
    public void Read_Der_ReadsTheSameRequestAsPem()
    {
        var fromDer = SigningRequestReader.Read(requests.Rsa2048Der());
        var fromPem = SigningRequestReader.Read(requests.Pem("rsa2048"));

        Assert.Equal(fromPem.Der, fromDer.Der);
        Assert.Equal(fromPem.SubjectAlternativeNames, fromDer.SubjectAlternativeNames);
        Assert.Equal(fromPem.Key, fromDer.Key);
    }

    [Fact]
    public void Read_NewCertificateRequestLabel_ReadsTheRequest()
    {
        Assert.StartsWith("-----BEGIN NEW CERTIFICATE REQUEST-----", Encoding.ASCII.GetString(requests.Pem("new-header")), StringComparison.Ordinal);

        var request = SigningRequestReader.Read(requests.Pem("new-header"));

        Assert.Equal("EC", request.Key.Algorithm);
    }

    [Fact]
    public async Task Read_FlippedSignatureByte_RefusedAsAltered()
    {
        var der = requests.Rsa2048Der();
        der[^1] ^= 0x01;
        await AssertOpenSslRefusesAsync(der);

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(der));

        Assert.Equal(BadSignature, error.Message);
    }

    [Fact]
    public async Task Read_FlippedSubjectByte_RefusedAsAltered()
    {
        var der = requests.Rsa2048Der();
        var at = der.AsSpan().IndexOf("www.example.com"u8);
        der[at] = (byte)'x';
        await AssertOpenSslRefusesAsync(der);

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(der));

        Assert.Equal(BadSignature, error.Message);
    }

    [Fact]
    public void Read_FlippedByteInEd25519Signature_RefusedAsAltered()
    {
        var der = DerOf(requests.Pem("ed25519"));
        der[^10] ^= 0x80;

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(der));

        Assert.Equal(BadSignature, error.Message);
    }

    [Fact]
    public void Read_Garbage_RefusedAsNotARequest()
    {
        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read("this is not a CSR at all\n"u8));

        Assert.StartsWith("not a certificate signing request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomBytesStartingLikeDer_RefusedAsMalformed()
    {
        var bytes = new byte[300];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x30;
        bytes[1] = 0x82;
        bytes[2] = 0x01;
        bytes[3] = 0x28;

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(bytes));

        Assert.StartsWith("not a valid certificate signing request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Empty_RefusedAsEmpty()
    {
        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(" \n"u8));

        Assert.StartsWith("the input is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificatePem_RefusedAsCertificate()
    {
        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(requests.CertificatePem()));

        Assert.StartsWith("this is a certificate, not a certificate signing request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificateDer_RefusedAsCertificate()
    {
        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(DerOf(requests.CertificatePem())));

        Assert.StartsWith("this is a certificate, not a certificate signing request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoPemRequests_RefusedAsSeveral()
    {
        var two = requests.Pem("ec-p256").Concat(requests.Pem("ed25519")).ToArray();

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(two));

        Assert.Equal("the input holds 2 certificate signing requests; submit one at a time", error.Message);
    }

    [Fact]
    public void Read_TwoDerRequests_RefusedAsSeveral()
    {
        var der = requests.Rsa2048Der();

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read([.. der, .. der]));

        Assert.Equal("the input holds more than one certificate signing request; submit one at a time", error.Message);
    }

    [Fact]
    public void Read_100KiBInput_RefusedAsTooLarge()
    {
        var padding = Encoding.ASCII.GetBytes(new string('#', 100 * 1024));
        var input = requests.Pem("ec-p256").Concat(padding).ToArray();

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(input));

        Assert.StartsWith("the input is too large for a certificate signing request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PemWithoutEndLine_RefusedAsIncomplete()
    {
        var pem = Encoding.ASCII.GetString(requests.Pem("ec-p256"));
        var cut = pem[..pem.IndexOf("-----END", StringComparison.Ordinal)];

        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(Encoding.ASCII.GetBytes(cut)));

        Assert.StartsWith("the PEM text is incomplete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DsaKey_RefusedAsUnsupported()
    {
        var error = Assert.Throws<SigningRequestException>(() => SigningRequestReader.Read(requests.DsaPem()));

        Assert.Equal("unsupported key: DSA keys are not supported; use an RSA, EC (P-256 or P-384) or Ed25519 key", error.Message);
    }

    [Fact]
    public void ReadThenCheck_Rsa1024Request_RefusedBelowMinimum()
    {
        var request = SigningRequestReader.Read(requests.Pem("rsa1024"));

        var violations = ProfilePolicy.Check(CertificateProfiles.TlsServer, request.Key, request.SubjectAlternativeNames, null, DateTimeOffset.UnixEpoch);

        Assert.Equal(
            [
                "RSA keys of 1024 bits are below the profile's minimum of 2048.",
                "'x@example.com': email addresses are not allowed by the tls-server profile.",
            ],
            violations);
    }

    [Theory]
    [InlineData("rsa-sha1")]
    [InlineData("ec-sha1")]
    public void ReadThenCheck_Sha1Request_RefusedByPublicProfileOnly(string name)
    {
        var request = SigningRequestReader.Read(requests.Pem(name));
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        var publicViolations = ProfilePolicy.Check(
            CertificateProfiles.PublicTlsServer, request.Key, request.SubjectAlternativeNames, null, now, request.SignedWithSha1);
        var privateViolations = ProfilePolicy.Check(
            CertificateProfiles.TlsServer, request.Key, request.SubjectAlternativeNames, null, now, request.SignedWithSha1);

        Assert.True(request.SignedWithSha1);
        Assert.Equal(
            ["The CSR is signed with SHA-1, which the public-tls-server profile refuses; sign it with SHA-256 or stronger."],
            publicViolations);
        Assert.Empty(privateViolations);
    }

    private static byte[] DerOf(byte[] pem)
    {
        var text = Encoding.ASCII.GetString(pem);
        var fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private async Task AssertOpenSslRefusesAsync(byte[] der)
    {
        // The reference: openssl must agree that the altered request does not verify.
        var path = Path.Combine(requests.Directory, Guid.NewGuid().ToString("N") + ".der");
        await File.WriteAllBytesAsync(path, der, TestContext.Current.CancellationToken);
        // OpenSSL 3.0's req -verify exits 0 either way; only its message tells.
        var result = await OpenSsl.ScriptAsync(requests.Directory, $"openssl req -inform DER -in {OpenSsl.Quote(path)} -verify -noout 2>&1 || true");
        Assert.Contains("self-signature verify failure", result.Text, StringComparison.Ordinal);
    }
}
