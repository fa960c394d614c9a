using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary><see cref="CertificateContainerDecoder"/> on every container format as openssl writes it.</summary>
public sealed class CertificateContainerDecoderOpenSslTests(OpenSslContainers files) : IClassFixture<OpenSslContainers>
{
    [Theory]
    [InlineData("bundle.p12", OpenSslContainers.Password)]
    [InlineData("legacy.p12", OpenSslContainers.Password)]
    public void Decode_OpenSslPkcs12WithPassword_ReturnsLeafAndRoot(string name, string password)
    {
        var decoded = CertificateContainerDecoder.Decode(files.Read(name), password);

        Assert.Equal(ContainerFormat.Pkcs12, decoded.Format);
        Assert.Equal(2, decoded.Certificates.Count);
        Assert.Contains(files.Der("leaf.pem"), decoded.Certificates);
        Assert.Contains(files.Der("root.pem"), decoded.Certificates);
    }

    [Fact]
    public void Decode_OpenSslPkcs12WrongPassword_SaysWrongPassword()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(files.Read("bundle.p12"), "not it"));

        Assert.Equal("wrong PKCS#12 password", error.Message);
    }

    [Fact]
    public void Decode_OpenSslPkcs12WithoutPassword_SaysItNeedsOne()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(files.Read("bundle.p12")));

        Assert.Equal("PKCS#12 file needs a password", error.Message);
    }

    [Fact]
    public void Decode_OpenSslPkcs12WithEmptyPassword_OpensWithoutPassword()
    {
        var decoded = CertificateContainerDecoder.Decode(files.Read("empty-password.p12"));

        Assert.Equal([files.Der("leaf.pem")], decoded.Certificates);
    }

    [Fact]
    public void Decode_OpenSslPkcs12WithDamagedStructure_SaysCorrupt()
    {
        var pfx = files.Read("bundle.p12");
        var contentType = pfx.AsSpan().IndexOf(new byte[] { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01 });
        pfx[contentType] = 0x04;

        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(pfx, OpenSslContainers.Password));

        Assert.StartsWith("corrupt PKCS#12", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chain.p7b.pem")]
    [InlineData("chain.p7b")]
    public void Decode_OpenSslPkcs7_ReturnsBothCertificates(string name)
    {
        var decoded = CertificateContainerDecoder.Decode(files.Read(name));

        Assert.Equal(ContainerFormat.Pkcs7, decoded.Format);
        Assert.Equal([files.Der("leaf.pem"), files.Der("root.pem")], decoded.Certificates);
    }

    [Fact]
    public void Decode_OpenSslTrustedCertificate_ReturnsCertificateWithoutTrustSettings()
    {
        var decoded = CertificateContainerDecoder.Decode(files.Read("trusted.pem"));

        Assert.Equal(ContainerFormat.Pem, decoded.Format);
        Assert.Equal([files.Der("root.pem")], decoded.Certificates);
    }

    [Fact]
    public void Decode_OpenSslDer_ReturnsDer()
    {
        var decoded = CertificateContainerDecoder.Decode(files.Read("leaf.der"));

        Assert.Equal(ContainerFormat.Der, decoded.Format);
        Assert.Equal([files.Der("leaf.pem")], decoded.Certificates);
    }

    [Fact]
    public void Decode_OpenSslPemChain_ReturnsBothInOrder()
    {
        Assert.Equal([files.Der("leaf.pem"), files.Der("root.pem")], CertificateContainerDecoder.Decode(files.Read("chain.pem")).Certificates);
    }

    [Fact]
    public void Decode_OpenSslKeyRequestAndCertificate_ReturnsOnlyTheCertificate()
    {
        Assert.Equal([files.Der("leaf.pem")], CertificateContainerDecoder.Decode(files.Read("key-csr-cert.pem")).Certificates);
    }

    [Fact]
    public void Decode_OpenSslPkcs12Dump_SkipsBagAttributesText()
    {
        Assert.Equal(2, CertificateContainerDecoder.Decode(files.Read("bag-attributes.pem")).Certificates.Count);
    }

    [Fact]
    public void Decode_OpenSslKeyOnly_SaysNoCertificate()
    {
        var error = Assert.Throws<CertificateFormatException>(() => CertificateContainerDecoder.Decode(files.Read("key-only.pem")));

        Assert.StartsWith("no certificate in file", error.Message, StringComparison.Ordinal);
    }
}
