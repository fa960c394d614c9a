using Certitude.Tls.Tests.Support;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Wire;

public sealed class LegacyClientHelloTests
{
    private static ClientHelloReader Write(string? hostName)
    {
        var buffer = new byte[LegacyClientHello.MaxLength];
        var length = LegacyClientHello.Write(buffer, hostName);
        return ClientHelloReader.Parse(buffer[..length]);
    }

    [Fact]
    public void Write_AnyName_OffersTls12WithoutSupportedVersions()
    {
        var hello = Write("probe.test");

        Assert.Equal(0x0301, hello.RecordVersion);
        Assert.Equal(0x0303, hello.ClientVersion);
        Assert.Equal(0, hello.SessionIdLength);
        Assert.DoesNotContain(TlsExtensionType.SupportedVersions, hello.ExtensionOrder);
        Assert.DoesNotContain(TlsExtensionType.KeyShare, hello.ExtensionOrder);
        Assert.Contains(TlsExtensionType.SupportedGroups, hello.ExtensionOrder);
        Assert.Contains(TlsExtensionType.EcPointFormats, hello.ExtensionOrder);
        Assert.Contains(TlsExtensionType.SignatureAlgorithms, hello.ExtensionOrder);
    }

    [Fact]
    public void Write_AnyName_ListsRsaKeyTransportFirstAndScsv()
    {
        var suites = Write(null).CipherSuites;

        Assert.Equal([0x009C, 0x009D, 0x002F, 0x0035], suites[..4]);
        Assert.Contains((ushort)0xC02B, suites);
        Assert.Contains((ushort)0xC02F, suites);
        Assert.Contains((ushort)0x009E, suites);
        Assert.Contains(CipherSuites.EmptyRenegotiationInfoScsv, suites);
        Assert.True(suites.IndexOf(0x000A) < suites.IndexOf(0xC02B), "RSA key transport comes before every ECDHE suite");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a.test")]
    [InlineData("a-rather-long-host-name-to-push-the-hello-around-a-length-boundary.example.test")]
    public void Write_AnyName_HelloIsNeverBetween256And511Bytes(string? hostName)
    {
        // RFC 7685 §1: the hello lengths some TLS terminators hang on.
        var length = Write(hostName).MessageLength;

        Assert.False(length is >= 256 and < 512, $"hello of {length} bytes");
    }

    [Fact]
    public void Write_TwoCalls_DifferOnlyInRandom()
    {
        var first = new byte[LegacyClientHello.MaxLength];
        var second = new byte[LegacyClientHello.MaxLength];
        var length = LegacyClientHello.Write(first, "probe.test");
        Assert.Equal(length, LegacyClientHello.Write(second, "probe.test"));

        // Record header (5), handshake header (4), client_version (2), then the 32-byte random.
        Assert.Equal(first[..11], second[..11]);
        Assert.NotEqual(first[11..43], second[11..43]);
        Assert.Equal(first[43..length], second[43..length]);
    }
}
