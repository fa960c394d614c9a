using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary><see cref="CertificateContainerDecoder"/> on containers written by .NET, and on broken input.</summary>
public sealed class CertificateContainerDecoderTests
{
    private static readonly byte[] First = TestCertificates.SelfSignedEc("CN=first.example.com");
    private static readonly byte[] Second = TestCertificates.SelfSignedEc("CN=second.example.com");

    [Fact]
    public void Decode_SinglePemCertificate_ReturnsItsDer()
    {
        var decoded = CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(Pem.Certificate(First)));

        Assert.Equal(ContainerFormat.Pem, decoded.Format);
        Assert.Equal([First], decoded.Certificates);
    }

    [Fact]
    public void Decode_PemBundleWithCrlfAndTextAround_ReturnsEveryCertificateInOrder()
    {
        var text = "subject=CN=first.example.com\r\nissuer=CN=first.example.com\r\n"
            + Pem.Certificate(First).Replace("\n", "\r\n", StringComparison.Ordinal)
            + "\r\nsome notes between blocks\r\n"
            + Pem.Certificate(Second)
            + "trailing words";

        var decoded = CertificateContainerDecoder.Decode(Encoding.UTF8.GetBytes("\uFEFF" + text));

        Assert.Equal(ContainerFormat.Pem, decoded.Format);
        Assert.Equal([First, Second], decoded.Certificates);
    }

    [Fact]
    public void Decode_PemWithPrivateKeyAndCertificateRequest_IgnoresThem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=csr", key, HashAlgorithmName.SHA256);
        var text = key.ExportPkcs8PrivateKeyPem() + "\n" + request.CreateSigningRequestPem() + "\n" + Pem.Certificate(Second);

        var decoded = CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(text));

        Assert.Equal([Second], decoded.Certificates);
    }

    [Fact]
    public void Decode_PemWithOnlyPrivateKey_ThrowsNoCertificate()
    {
        using var key = RSA.Create(2048);

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem())));

        Assert.Equal("no certificate in file (PEM blocks found: PRIVATE KEY)", error.Message);
    }

    [Fact]
    public void Decode_DerCertificate_ReturnsDer()
    {
        var decoded = CertificateContainerDecoder.Decode(First);

        Assert.Equal(ContainerFormat.Der, decoded.Format);
        Assert.Equal([First], decoded.Certificates);
    }

    [Fact]
    public void Decode_DerWithTrailingNewline_ReturnsDer()
    {
        Assert.Equal([First], CertificateContainerDecoder.Decode([.. First, (byte)'\n']).Certificates);
    }

    [Fact]
    public void Decode_ConcatenatedDerCertificates_ReturnsEach()
    {
        var decoded = CertificateContainerDecoder.Decode([.. First, .. Second]);

        Assert.Equal(ContainerFormat.Der, decoded.Format);
        Assert.Equal([First, Second], decoded.Certificates);
    }

    [Fact]
    public void Decode_DotnetPkcs12WithPassword_ReturnsCertificates()
    {
        var pfx = Pkcs12("correct horse");

        var decoded = CertificateContainerDecoder.Decode(pfx, "correct horse");

        Assert.Equal(ContainerFormat.Pkcs12, decoded.Format);
        Assert.Equal(2, decoded.Certificates.Count);
        Assert.All(decoded.Certificates, der => Assert.NotNull(CertificateReader.ReadFacts(der).SubjectCommonName));
    }

    [Fact]
    public void Decode_Pkcs12WrongPassword_SaysWrongPassword()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Pkcs12("correct horse"), "battery staple"));

        Assert.Equal("wrong PKCS#12 password", error.Message);
    }

    [Fact]
    public void Decode_Pkcs12WithoutPasswordGiven_SaysItNeedsOne()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Pkcs12("correct horse")));

        Assert.Equal("PKCS#12 file needs a password", error.Message);
    }

    [Fact]
    public void Decode_Pkcs12WithEmptyPassword_OpensWithNullPassword()
    {
        Assert.Equal(2, CertificateContainerDecoder.Decode(Pkcs12("")).Certificates.Count);
    }

    [Fact]
    public void Decode_DotnetPkcs7_ReturnsCertificates()
    {
        using var first = X509CertificateLoader.LoadCertificate(First);
        using var second = X509CertificateLoader.LoadCertificate(Second);
        var p7b = new X509Certificate2Collection { first, second }.Export(X509ContentType.Pkcs7)!;

        var decoded = CertificateContainerDecoder.Decode(p7b);

        Assert.Equal(ContainerFormat.Pkcs7, decoded.Format);
        Assert.Equal(2, decoded.Certificates.Count);
        Assert.Contains(First, decoded.Certificates);
        Assert.Contains(Second, decoded.Certificates);
    }

    [Fact]
    public void Decode_DotnetPkcs7AsPem_ReturnsPkcs7()
    {
        using var first = X509CertificateLoader.LoadCertificate(First);
        var p7b = new X509Certificate2Collection { first }.Export(X509ContentType.Pkcs7)!;

        var decoded = CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(PemEncoding.WriteString("PKCS7", p7b)));

        Assert.Equal(ContainerFormat.Pkcs7, decoded.Format);
        Assert.Equal([First], decoded.Certificates);
    }

    [Fact]
    public void Decode_IndefiniteLengthPkcs7_ReturnsCertificates()
    {
        // Windows and Java write BER with indefinite lengths (X.690 §8.1.3.6); rewrap .NET's DER ContentInfo that way.
        using var first = X509CertificateLoader.LoadCertificate(First);
        var p7b = new X509Certificate2Collection { first }.Export(X509ContentType.Pkcs7)!;
        Assert.True(DerHeader.TryRead(p7b, out var header));
        byte[] indefinite = [0x30, 0x80, .. p7b.AsSpan(header.HeaderLength), 0x00, 0x00];

        var decoded = CertificateContainerDecoder.Decode(indefinite);

        Assert.Equal(ContainerFormat.Pkcs7, decoded.Format);
        Assert.Equal([First], decoded.Certificates);
    }

    [Fact]
    public void Decode_PemWithPkcs7AndCertificateBlocks_ReturnsAllAsPem()
    {
        using var first = X509CertificateLoader.LoadCertificate(First);
        var p7b = new X509Certificate2Collection { first }.Export(X509ContentType.Pkcs7)!;
        var text = PemEncoding.WriteString("PKCS7", p7b) + "\n" + PemEncoding.WriteString("X509 CERTIFICATE", Second);

        var decoded = CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(text));

        Assert.Equal(ContainerFormat.Pem, decoded.Format);
        Assert.Equal([First, Second], decoded.Certificates);
    }

    [Fact]
    public void Decode_Pkcs7WithoutCertificates_Throws()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(DegenerateSignedData()));

        Assert.Equal("PKCS#7 contains no certificates", error.Message);
    }

    [Fact]
    public void Decode_EmptyFile_SaysEmpty()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode([]));

        Assert.Equal("file is empty", error.Message);
    }

    [Fact]
    public void Decode_RandomBytes_SaysNotACertificate()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42;

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(bytes));

        Assert.Equal("not a certificate: expected PEM, DER, PKCS#7 or PKCS#12", error.Message);
    }

    [Fact]
    public void Decode_HundredMegabytesOfRandomBytes_FailsWithFormatError()
    {
        var bytes = new byte[100 * 1024 * 1024];
        new Random(100).NextBytes(bytes);

        Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(bytes));
    }

    [Fact]
    public void Decode_HundredMegabytesStartingLikeACertificate_FailsWithFormatError()
    {
        var bytes = new byte[100 * 1024 * 1024];
        new Random(101).NextBytes(bytes);
        First.AsSpan(0, 8).CopyTo(bytes);

        Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(bytes));
    }

    [Fact]
    public void Decode_TruncatedDer_SaysTruncated()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(First.AsSpan(0, First.Length / 2)));

        Assert.StartsWith("truncated DER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BrokenBase64InSecondBlock_NamesTheBlock()
    {
        var broken = Pem.Certificate(Second).Replace("MII", "M!I", StringComparison.Ordinal);

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(Pem.Certificate(First) + broken)));

        Assert.Equal("PEM block 2 (CERTIFICATE) has invalid base64", error.Message);
    }

    [Fact]
    public void Decode_PemBlockWithoutEndLine_SaysSo()
    {
        var text = Pem.Certificate(First).Replace("-----END CERTIFICATE-----", "", StringComparison.Ordinal);

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(text)));

        Assert.Equal("PEM block 1 (CERTIFICATE) has no END line", error.Message);
    }

    [Fact]
    public void Decode_PemCertificateBlockHoldingGarbage_FailsForTheFile()
    {
        var text = Pem.Certificate(First) + PemEncoding.WriteString("CERTIFICATE", RandomNumberGenerator.GetBytes(300));

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(text)));

        Assert.StartsWith("PEM block 2 (CERTIFICATE): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DerPrivateKey_SaysNotACertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(key.ExportPkcs8PrivateKey()));

        Assert.Equal("not a certificate: expected PEM, DER, PKCS#7 or PKCS#12", error.Message);
    }

    [Fact]
    public void Decode_TruncatedPkcs12_SaysTruncated()
    {
        var pfx = Pkcs12("x");

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(pfx.AsSpan(0, pfx.Length - 40), "x"));

        Assert.StartsWith("truncated DER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WhitespaceOnly_ThrowsFormatException()
    {
        Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode("\r\n  \n"u8));
    }

    [Fact]
    public void Decode_ManyBeginMarkersWithoutLabels_FailsQuickly()
    {
        // Every marker is scanned once; an input built to make a naive scanner quadratic must not.
        var text = string.Concat(Enumerable.Repeat("-----BEGIN ", 2_000_000));

        Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(Encoding.ASCII.GetBytes(text)));
    }

    private static byte[] Pkcs12(string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pfx.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var withKey = request.CreateSelfSigned(TestCertificates.NotBefore, TestCertificates.NotAfter);
        using var other = X509CertificateLoader.LoadCertificate(First);
        return new X509Certificate2Collection { withKey, other }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
    }

    private static byte[] DegenerateSignedData()
    {
        // RFC 5652 §5.1 SignedData with no certificates and no signers.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.7.2");
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                using (writer.PushSequence())
                {
                    writer.WriteInteger(1);
                    using (writer.PushSetOf())
                    {
                    }

                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.2.840.113549.1.7.1");
                    }

                    using (writer.PushSetOf())
                    {
                    }
                }
            }
        }

        return writer.Encode();
    }
}
