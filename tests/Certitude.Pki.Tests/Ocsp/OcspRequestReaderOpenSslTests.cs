using System.Security.Cryptography;
using Certitude.Pki.Ocsp;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>Requests written by `openssl ocsp`, read back with <see cref="OcspRequestReader"/>.</summary>
public sealed class OcspRequestReaderOpenSslTests
{
    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public async Task Read_OpenSslRequestWithNonce_ReturnsSerialNonceAndIssuer(string caKey)
    {
        using var pki = OcspTestPki.Create(caKey);
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem");
        var text = (await OpenSsl.RunAsync(pki.Directory.Path, "ocsp", "-reqin", "req.der", "-req_text")).Text;

        var request = OcspRequestReader.Read(der);

        var id = Assert.Single(request.Certificates);
        Assert.Equal(Oids.Sha1, id.HashAlgorithmOid);
        Assert.Equal(Assert.Single(OcspOpenSsl.Values(text, "Serial Number:")), Convert.ToHexString(id.SerialNumber));
        Assert.Equal(Assert.Single(OcspOpenSsl.Values(text, "Issuer Name Hash:")), Convert.ToHexString(id.IssuerNameHash));
        Assert.Equal(Assert.Single(OcspOpenSsl.Values(text, "Issuer Key Hash:")), Convert.ToHexString(id.IssuerKeyHash));
        Assert.Equal(pki.Leaves[0].SerialNumberBytes.ToArray(), id.SerialNumber);
        Assert.True(id.IsIssuedBy(pki.Intermediate));
        Assert.False(id.IsIssuedBy(pki.Root));
        Assert.Equal(pki.LeafId(0), id);

        // openssl prints the whole extnValue: 04 10 then the 16 nonce bytes (a Nonce OCTET STRING inside it, RFC 8954).
        var extensionValue = Assert.Single(OcspOpenSsl.Values(text, "OCSP Nonce:"));
        Assert.NotNull(request.Nonce);
        Assert.Equal(16, request.Nonce.Length);
        Assert.Equal("0410" + Convert.ToHexString(request.Nonce), extensionValue);
    }

    [Fact]
    public async Task Read_NoNonce_NonceIsNull()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-no_nonce", "-cert", "leaf1.pem");

        var request = OcspRequestReader.Read(der);

        Assert.Null(request.Nonce);
        Assert.Equal(pki.LeafId(1), Assert.Single(request.Certificates));
    }

    [Fact]
    public async Task Read_SeveralCertificates_ReturnsAllInRequestOrder()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf2.pem", "-cert", "leaf0.pem", "-cert", "leaf1.pem");

        var request = OcspRequestReader.Read(der);

        Assert.Equal([pki.LeafId(2), pki.LeafId(0), pki.LeafId(1)], request.Certificates);
        Assert.All(request.Certificates, id => Assert.True(id.IsIssuedBy(pki.Intermediate)));
    }

    [Theory]
    [InlineData("-sha1", "1.3.14.3.2.26")]
    [InlineData("-sha256", "2.16.840.1.101.3.4.2.1")]
    [InlineData("-sha384", "2.16.840.1.101.3.4.2.2")]
    [InlineData("-sha512", "2.16.840.1.101.3.4.2.3")]
    public async Task Read_CertIdHashOption_IsIssuedByMatchesIntermediateOnly(string option, string expectedOid)
    {
        using var pki = OcspTestPki.Create("rsa");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", option, "-cert", "leaf0.pem");

        var id = Assert.Single(OcspRequestReader.Read(der).Certificates);

        Assert.Equal(expectedOid, id.HashAlgorithmOid);
        Assert.True(id.IsIssuedBy(pki.Intermediate));
        Assert.False(id.IsIssuedBy(pki.Root));
        Assert.False(id.IsIssuedBy(pki.Responder));
    }

    [Fact]
    public async Task Read_SignedRequest_IgnoresSignature()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(
            pki, "req.der", "-cert", "leaf0.pem", "-signer", "leaf0.pem", "-signkey", "leaf-key.pem", "-sign_other", "int.pem");
        var text = (await OpenSsl.RunAsync(pki.Directory.Path, "ocsp", "-reqin", "req.der", "-req_text")).Text;
        Assert.Contains("Requestor Name:", text, StringComparison.Ordinal);
        Assert.Contains("Signature Algorithm:", text, StringComparison.Ordinal);

        var request = OcspRequestReader.Read(der);

        Assert.Equal(pki.LeafId(0), Assert.Single(request.Certificates));
        Assert.NotNull(request.Nonce);
    }

    [Fact]
    public async Task Read_TruncatedOpenSslRequest_ThrowsOcspFormatException()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem");

        for (var length = 0; length < der.Length; length++)
        {
            Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(der.AsSpan(0, length)));
        }
    }

    [Fact]
    public async Task Read_TrailingBytes_ThrowsOcspFormatException()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem");

        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read([.. der, 0x00]));
    }

    [Fact]
    public async Task ReadFromGetPath_UrlEncodedBase64_ReadsSameRequestAsPost()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem", "-cert", "leaf1.pem");
        var base64 = Convert.ToBase64String(der);

        var escaped = OcspRequestReader.ReadFromGetPath(Uri.EscapeDataString(base64));
        var unescaped = OcspRequestReader.ReadFromGetPath(base64);
        var base64Url = OcspRequestReader.ReadFromGetPath(base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'));

        var expected = OcspRequestReader.Read(der);
        foreach (var request in new[] { escaped, unescaped, base64Url })
        {
            Assert.Equal(expected.Certificates, request.Certificates);
            Assert.Equal(expected.Nonce, request.Nonce);
        }
    }

    [Fact]
    public void ReadFromGetPath_NotBase64_ThrowsOcspFormatException()
    {
        Assert.Throws<OcspFormatException>(() => OcspRequestReader.ReadFromGetPath("not*base64!"));
    }

    [Fact]
    public async Task Create_SameCertificateAsOpenSsl_EqualsOpenSslCertId()
    {
        using var pki = OcspTestPki.Create("ec");
        var der = await OcspOpenSsl.RequestAsync(pki, "req.der", "-sha256", "-cert", "leaf2.pem");

        var id = Assert.Single(OcspRequestReader.Read(der).Certificates);

        Assert.Equal(pki.LeafId(2, HashAlgorithmName.SHA256), id);
        Assert.Equal(pki.LeafId(2, HashAlgorithmName.SHA256).GetHashCode(), id.GetHashCode());
        Assert.NotEqual(pki.LeafId(2, HashAlgorithmName.SHA1), id);
    }
}
