using System.Formats.Asn1;
using Certitude.Pki.Ocsp;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>Requests built here field by field (RFC 6960 §4.1.1), for the limits and the malformed cases no client writes.</summary>
public sealed class OcspRequestReaderTests
{
    private static readonly byte[] Nonce16 = [.. Enumerable.Range(1, 16).Select(static i => (byte)i)];

    [Fact]
    public void Read_HundredCertificates_ReadsAll()
    {
        var request = OcspRequestReader.Read(Request(100, WrappedNonce(Nonce16)));

        Assert.Equal(100, request.Certificates.Count);
        Assert.Equal([100], request.Certificates[^1].SerialNumber);
        Assert.Equal(Nonce16, request.Nonce);
    }

    [Fact]
    public void Read_MoreThanHundredCertificates_ThrowsOcspFormatException()
    {
        var error = Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Request(101, null)));

        Assert.Contains("100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoCertificates_ThrowsOcspFormatException()
    {
        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Request(0, null)));
    }

    [Fact]
    public void Read_Over64KiB_ThrowsOcspFormatException()
    {
        var error = Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(new byte[(64 * 1024) + 1]));

        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("3000")]
    [InlineData("30023000")]
    [InlineData("0403010203")]
    [InlineData("474554202F20485454502F312E310D0A")]
    [InlineData("3080")]
    [InlineData("30FFFFFFFF")]
    public void Read_Garbage_ThrowsOcspFormatException(string hex)
    {
        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Read_RandomBytes_ThrowsOnlyOcspFormatException()
    {
        var random = new Random(6960);
        var valid = Request(3, WrappedNonce(Nonce16));
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                OcspRequestReader.Read(mutated);
            }
            catch (OcspFormatException)
            {
                // Any other exception type escapes and fails the test.
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void Read_NonceWithinRfc8954Limits_ReturnsIt(int length)
    {
        var nonce = new byte[length];
        nonce[0] = 0x7F;

        Assert.Equal(nonce, OcspRequestReader.Read(Request(1, WrappedNonce(nonce))).Nonce);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Read_NonceOutsideRfc8954Limits_ThrowsOcspFormatException(int length)
    {
        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Request(1, WrappedNonce(new byte[length]))));
    }

    [Fact]
    public void Read_RawNonceNotWrappedInOctetString_IgnoresNonce()
    {
        // RFC 2560-era clients put the bytes straight into extnValue; answered without a nonce, as RFC 8954 permits.
        var request = OcspRequestReader.Read(Request(1, Nonce16));

        Assert.Null(request.Nonce);
        Assert.Single(request.Certificates);
    }

    [Fact]
    public void Read_VersionTwo_ThrowsOcspFormatException()
    {
        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Request(1, null, version: 1)));
    }

    [Fact]
    public void Read_ExplicitVersionOne_Reads()
    {
        Assert.Single(OcspRequestReader.Read(Request(1, null, version: 0)).Certificates);
    }

    [Fact]
    public void Read_UnknownHashAlgorithm_KeepsOidAndMatchesNoIssuer()
    {
        using var pki = OcspTestPki.Create("ec");
        var id = Assert.Single(OcspRequestReader.Read(Request(1, null, hashOid: "1.2.3.4")).Certificates);

        Assert.Equal("1.2.3.4", id.HashAlgorithmOid);
        Assert.False(id.IsIssuedBy(pki.Intermediate));
    }

    [Fact]
    public void Read_OverlongHashAlgorithmOid_ThrowsOcspFormatException()
    {
        var oid = "1.2" + string.Concat(Enumerable.Repeat(".1", 70));

        Assert.Throws<OcspFormatException>(() => OcspRequestReader.Read(Request(1, null, hashOid: oid)));
    }

    /// <summary>An OCSPRequest (RFC 6960 §4.1.1) for serials 1, 2, ... with SHA-1-sized dummy hashes.</summary>
    private static byte[] Request(int count, byte[]? nonceExtensionValue, int? version = null, string hashOid = "1.3.14.3.2.26")
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                if (version is { } v)
                {
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        writer.WriteInteger(v);
                    }
                }

                using (writer.PushSequence())
                {
                    for (var i = 1; i <= count; i++)
                    {
                        using (writer.PushSequence())
                        {
                            using (writer.PushSequence())
                            {
                                using (writer.PushSequence())
                                {
                                    writer.WriteObjectIdentifier(hashOid);
                                    writer.WriteNull();
                                }

                                writer.WriteOctetString(new byte[20]);
                                writer.WriteOctetString(new byte[20]);
                                writer.WriteInteger(i);
                            }
                        }
                    }
                }

                if (nonceExtensionValue is not null)
                {
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                    {
                        using (writer.PushSequence())
                        {
                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier("1.3.6.1.5.5.7.48.1.2");
                                writer.WriteOctetString(nonceExtensionValue);
                            }
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static byte[] WrappedNonce(byte[] nonce)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(nonce);
        return writer.Encode();
    }
}
