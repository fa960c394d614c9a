using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Certitude.Pki.Tests;

/// <summary>The key size limits that keep self-signed detection cheap on hostile uploads.</summary>
public sealed class SignatureVerifierTests
{
    [Theory]
    [InlineData(2048, 17, true)]
    [InlineData(16384, 17, true)]
    [InlineData(16392, 17, false)]
    [InlineData(2048, 64, true)]
    [InlineData(2048, 65, false)]
    [InlineData(4096, 65536, false)]
    public void WithinLimits_RsaKey_FollowsOpenSslLimits(int modulusBits, int exponentBits, bool expected)
    {
        // OpenSSL refuses RSA moduli over 16384 bits and public exponents over 64 bits (crypto/rsa/rsa_ossl.c).
        Assert.Equal(expected, SignatureVerifier.WithinLimits(RsaKey(modulusBits, exponentBits)));
    }

    [Fact]
    public void Verify_RsaKeyWithHugeExponent_ReturnsFalseWithoutTrying()
    {
        var key = RsaKey(4096, 65536);

        Assert.False(SignatureVerifier.Verify([1, 2, 3], new AlgorithmIdentifier("1.2.840.113549.1.1.14", null), new byte[512], key));
    }

    private static SubjectPublicKeyInfo RsaKey(int modulusBits, int exponentBits)
    {
        var modulus = RandomNumberGenerator.GetBytes(modulusBits / 8);
        modulus[0] |= 0x80;
        modulus[^1] |= 0x01;
        var exponent = ((BigInteger.One << (exponentBits - 1)) | BigInteger.One).ToByteArray(isUnsigned: true, isBigEndian: true);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(modulus);
            writer.WriteIntegerUnsigned(exponent);
        }

        var rsaPublicKey = writer.Encode();
        return new SubjectPublicKeyInfo(rsaPublicKey, new AlgorithmIdentifier("1.2.840.113549.1.1.1", null), rsaPublicKey);
    }
}
