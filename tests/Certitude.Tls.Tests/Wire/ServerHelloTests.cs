using Certitude.Tls.Tests.Support;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Wire;

public sealed class ServerHelloTests
{
    /// <summary>RFC 8448 §3, {server} construct a ServerHello: the handshake message.</summary>
    private static readonly byte[] Rfc8448ServerHello = TlsBytes.Hex(
        "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020"
        + "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304");

    [Fact]
    public void Parse_Rfc8448ServerHello_ReadsVersionSuiteAndKeyShare()
    {
        var hello = ServerHello.Parse(Rfc8448ServerHello.AsSpan(4));

        Assert.Equal(0x0303, hello.LegacyVersion);
        Assert.Equal((ushort)0x0304, hello.SelectedVersion);
        Assert.Equal(CipherSuites.TlsAes128GcmSha256, hello.CipherSuite);
        Assert.Equal(TlsNamedGroup.X25519, hello.KeyShareGroup);
        Assert.Equal(TlsBytes.Hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"), hello.KeyShare);
        Assert.False(hello.IsHelloRetryRequest);
        Assert.False(hello.HasTls13DowngradeSentinel);
    }

    [Fact]
    public void Parse_HelloRetryRequest_ReadsRequestedGroupAndCookie()
    {
        // RFC 8446 §4.1.3: the HelloRetryRequest random; key_share carries only the group (§4.2.8).
        var body = TlsBytes.Hex(
            "0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c00130200"
            + "0016002b00020304003300020018002c0006000401020304");

        var hello = ServerHello.Parse(body);

        Assert.True(hello.IsHelloRetryRequest);
        Assert.Equal(TlsNamedGroup.Secp384r1, hello.KeyShareGroup);
        Assert.Null(hello.KeyShare);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, hello.Cookie);
        Assert.Equal(CipherSuites.TlsAes256GcmSha384, hello.CipherSuite);
    }

    [Theory]
    [InlineData("444f574e47524401", true)]
    [InlineData("444f574e47524400", false)]
    [InlineData("0000000000000000", false)]
    public void Parse_RandomEnding_DetectsTls13DowngradeSentinel(string lastEightBytes, bool expected)
    {
        // RFC 8446 §4.1.3: "DOWNGRD" 01 from a TLS 1.3 server negotiating TLS 1.2; "DOWNGRD" 00 means TLS 1.2 support only.
        var body = TlsBytes.Hex("0303" + new string('a', 48) + lastEightBytes + "00009c00");

        Assert.Equal(expected, ServerHello.Parse(body).HasTls13DowngradeSentinel);
    }

    [Fact]
    public void Parse_Ssl3StyleWithoutExtensions_ReadsVersionAndSuite()
    {
        var body = TlsBytes.Hex("0300" + new string('1', 64) + "00000a00");

        var hello = ServerHello.Parse(body);

        Assert.Equal(0x0300, hello.LegacyVersion);
        Assert.Equal(0x000A, hello.CipherSuite);
        Assert.Null(hello.SelectedVersion);
    }
}
