using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Wire;

public sealed class CipherSuitesTests
{
    [Theory]
    [InlineData(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256")]
    [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA")]
    [InlineData(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]
    [InlineData(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData(0x1303, "TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData(0x1234, "0x1234")]
    [InlineData(0x00AB, "0x00AB")]
    public void GetName_Code_ReturnsIanaNameOrHex(int code, string expected)
    {
        Assert.Equal(expected, CipherSuites.GetName((ushort)code));
    }

    [Fact]
    public void GetName_EveryOfferedSuite_HasAName()
    {
        foreach (var suite in CipherSuites.LegacyOffer.ToArray().Concat(CipherSuites.Tls13Offer.ToArray()))
        {
            Assert.StartsWith("TLS_", CipherSuites.GetName(suite), StringComparison.Ordinal);
        }
    }
}
