using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Ocsp;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>In-process checks of <see cref="OcspResponseSigner"/>: its argument checks and many responses in a row.</summary>
public sealed class OcspResponseSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sign_ThousandResponses_EachVerifiesWithResponderKey()
    {
        using var pki = OcspTestPki.Create("ec");
        var signer = pki.CaSigner();
        using var publicKey = pki.Intermediate.GetECDsaPublicKey()!;

        for (var i = 0; i < 1000; i++)
        {
            var id = pki.LeafId(i % 3) with { SerialNumber = [0x01, (byte)(i >> 8), (byte)i] };
            var nonce = RandomNumberGenerator.GetBytes(16);
            var status = (OcspCertificateStatus)(i % 3);
            var single = new OcspSingleResponse(
                id, status, status == OcspCertificateStatus.Revoked ? Now.AddDays(-1) : null, null, Now, Now.AddHours(1));

            var response = signer.Sign([single], nonce, Now.AddSeconds(i));

            var (tbs, signature) = SignedParts(response);
            Assert.True(publicKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            Assert.True(tbs.AsSpan().IndexOf(nonce) > 0);
        }
    }

    [Fact]
    public void Sign_ConcurrentCallers_ProduceValidResponses()
    {
        using var pki = OcspTestPki.Create("ec");
        var signer = pki.CaSigner();
        using var publicKey = pki.Intermediate.GetECDsaPublicKey()!;

        var responses = new byte[200][];
        Parallel.For(0, responses.Length, i =>
        {
            var id = pki.LeafId(0) with { SerialNumber = [0x02, (byte)i] };
            responses[i] = signer.Sign([new OcspSingleResponse(id, OcspCertificateStatus.Good, null, null, Now, null)], null, Now);
        });

        for (var i = 0; i < responses.Length; i++)
        {
            var (tbs, signature) = SignedParts(responses[i]);
            Assert.True(publicKey.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            Assert.True(tbs.AsSpan().IndexOf(new byte[] { 0x02, 0x02, 0x02, (byte)i }) > 0);
        }
    }

    [Fact]
    public void Constructor_GeneratorWithOtherKey_ThrowsArgumentException()
    {
        using var pki = OcspTestPki.Create("ec");

        var error = Assert.Throws<ArgumentException>(
            () => new OcspResponseSigner(pki.Intermediate, OcspTestPki.Generator(pki.ResponderKey), HashAlgorithmName.SHA256));

        Assert.Contains("do not verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DefaultIncludedCertificates_DelegatedResponderOnly()
    {
        using var pki = OcspTestPki.Create("ec");

        Assert.Empty(pki.CaSigner().IncludedCertificates);
        Assert.Equal([pki.Responder], pki.DelegatedSigner().IncludedCertificates);
        var explicitList = new OcspResponseSigner(
            pki.Responder, OcspTestPki.Generator(pki.ResponderKey), HashAlgorithmName.SHA256, [pki.Responder, pki.Intermediate]);
        Assert.Equal([pki.Responder, pki.Intermediate], explicitList.IncludedCertificates);
    }

    [Fact]
    public void Sign_RevokedWithoutTime_ThrowsArgumentException()
    {
        using var pki = OcspTestPki.Create("ec");
        var single = new OcspSingleResponse(pki.LeafId(0), OcspCertificateStatus.Revoked, null, null, Now, null);

        Assert.Throws<ArgumentException>(() => pki.CaSigner().Sign([single], null, Now));
    }

    [Fact]
    public void Sign_ReasonSeven_ThrowsArgumentException()
    {
        using var pki = OcspTestPki.Create("ec");
        var single = new OcspSingleResponse(pki.LeafId(0), OcspCertificateStatus.Revoked, Now, (X509RevocationReason)7, Now, null);

        Assert.Throws<ArgumentException>(() => pki.CaSigner().Sign([single], null, Now));
    }

    [Fact]
    public void Sign_NoResponsesOrEmptyNonce_ThrowsArgumentException()
    {
        using var pki = OcspTestPki.Create("ec");
        var single = new OcspSingleResponse(pki.LeafId(0), OcspCertificateStatus.Good, null, null, Now, null);

        Assert.Throws<ArgumentException>(() => pki.CaSigner().Sign([], null, Now));
        Assert.Throws<ArgumentException>(() => pki.CaSigner().Sign([single], [], Now));
    }

    [Fact]
    public void Sign_NonMinimalSerial_EchoesItsOctets()
    {
        using var pki = OcspTestPki.Create("ec");
        var id = pki.LeafId(0) with { SerialNumber = [0x00, 0x05] };

        var response = pki.CaSigner().Sign([new OcspSingleResponse(id, OcspCertificateStatus.Unknown, null, null, Now, null)], null, Now);

        Assert.True(response.AsSpan().IndexOf(new byte[] { 0x02, 0x02, 0x00, 0x05, 0x82, 0x00 }) > 0);
    }

    /// <summary>The signed ResponseData and the signature of an OCSPResponse (RFC 6960 §4.2.1).</summary>
    private static (byte[] Tbs, byte[] Signature) SignedParts(byte[] response)
    {
        var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(OcspResponseStatus.Successful, outer.ReadEnumeratedValue<OcspResponseStatus>());
        var responseBytes = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        Assert.Equal("1.3.6.1.5.5.7.48.1.1", responseBytes.ReadObjectIdentifier());
        var basic = new AsnReader(responseBytes.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
        var tbs = basic.ReadEncodedValue().ToArray();
        basic.ReadSequence();
        var signature = basic.ReadBitString(out _);
        Assert.False(basic.HasData);
        return (tbs, signature);
    }
}
