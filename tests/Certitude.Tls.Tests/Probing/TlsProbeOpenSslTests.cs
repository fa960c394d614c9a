using Certitude.Tls.Probing;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.Probing;

/// <summary>The probe against Debian's OpenSSL 3 (<c>openssl s_server</c>): every version and group it serves.</summary>
public sealed class TlsProbeOpenSslTests
{
    [Fact]
    public async Task ProbeAsync_Tls12RsaServer_ReturnsChainAndRsaKeyTransportSuite()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_2");

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls12, result.Protocol);

        // s_server follows the client's order (no -serverpref), and the legacy hello lists RSA key transport first.
        Assert.Equal(0x009C, result.CipherSuite);
        Assert.Equal("TLS_RSA_WITH_AES_128_GCM_SHA256", result.CipherSuiteName);
        Assert.False(result.ServerSupportsTls13);
    }

    [Fact]
    public async Task ProbeAsync_Tls12EcdsaServer_ReturnsChainAndEcdheEcdsaSuite()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Ecdsa, "-tls1_2");

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        TestChain.Ecdsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls12, result.Protocol);
        Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", result.CipherSuiteName);
    }

    [Fact]
    public async Task ProbeAsync_DefaultServerWithLegacyHello_ReturnsTls12WithDowngradeSentinel()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa);

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls12, result.Protocol);
        Assert.True(result.ServerSupportsTls13);
    }

    [Fact]
    public async Task ProbeAsync_DefaultServerWithTls13Hello_ReturnsTls13Chain()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa);

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Tls13);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls13, result.Protocol);
        Assert.True(result.ServerSupportsTls13);
    }

    [Fact]
    public async Task ProbeAsync_Tls13OnlyServerWithLegacyHello_ThrowsProtocolVersionAlert()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_3");

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.Alert, failure.Failure);
        Assert.Equal((byte)70, failure.AlertDescription);
    }

    [Fact]
    public async Task ProbeAsync_Tls12OnlyServerWithTls13Hello_ThrowsAlert()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_2");

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Tls13);

        Assert.Equal(TlsProbeFailure.Alert, failure.Failure);
        Assert.Contains(failure.AlertDescription, new byte?[] { 40, 70 });
    }

    [Theory]
    [InlineData("TLS_AES_128_GCM_SHA256", 0x1301)]
    [InlineData("TLS_AES_256_GCM_SHA384", 0x1302)]
    [InlineData("TLS_CHACHA20_POLY1305_SHA256", 0x1303)]
    public async Task ProbeAsync_Tls13OnlyServerWithSuite_DecryptsChain(string suite, int code)
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Ecdsa, "-tls1_3", "-ciphersuites", suite);

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Tls13);

        TestChain.Ecdsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls13, result.Protocol);
        Assert.Equal(code, result.CipherSuite);
        Assert.Equal(suite, result.CipherSuiteName);
    }

    /// <summary>
    /// X25519 and P-256 are in the first ClientHello's key_share; P-384 and P-521 are only in supported_groups, so the
    /// server answers with a HelloRetryRequest (RFC 8446 §4.1.4) and the probe sends a second hello with that share.
    /// </summary>
    [Theory]
    [InlineData("X25519", 1)]
    [InlineData("P-256", 1)]
    [InlineData("P-384", 2)]
    [InlineData("P-521", 2)]
    public async Task ProbeAsync_Tls13OnlyServerWithGroup_DecryptsChain(string group, int clientHellos)
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_3", "-groups", group);
        await using var proxy = new LoopbackProxy(server.Port, drip: false);

        var result = await LoopbackProbe.ProbeAsync(proxy.Port, TlsProbeHello.Tls13);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls13, result.Protocol);
        Assert.Equal(clientHellos, proxy.ClientHelloCount);
    }

    [Fact]
    public async Task ProbeAsync_Tls13ServerWithGroupAndSha384Suite_DecryptsChainAfterRetry()
    {
        // The retry path with the SHA-384 transcript: message_hash is 48 bytes there.
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_3", "-groups", "P-384", "-ciphersuites", "TLS_AES_256_GCM_SHA384");
        await using var proxy = new LoopbackProxy(server.Port, drip: false);

        var result = await LoopbackProbe.ProbeAsync(proxy.Port, TlsProbeHello.Tls13);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(2, proxy.ClientHelloCount);
        Assert.Equal("TLS_AES_256_GCM_SHA384", result.CipherSuiteName);
    }

    [Fact]
    public async Task ProbeAsync_Tls13ServerRequestingClientCertificate_ReturnsChain()
    {
        // CertificateRequest comes between EncryptedExtensions and Certificate (RFC 8446 §2).
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_3", "-verify", "1");

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Tls13);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
    }

    [Theory]
    [InlineData(TlsProbeHello.Legacy)]
    [InlineData(TlsProbeHello.Tls13)]
    public async Task ProbeAsync_ServerNameMatchingSecondCertificate_ReturnsSniSelectedChain(TlsProbeHello hello)
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await LoopbackProbe.ProbeAsync(server.Port, hello, TestChain.Alternative.SubjectName);

        Assert.Equal(TestChain.Alternative.Leaf.RawData, result.CertificateChain[0]);
    }

    [Theory]
    [InlineData(TlsProbeHello.Legacy, null)]
    [InlineData(TlsProbeHello.Legacy, "127.0.0.1")]
    [InlineData(TlsProbeHello.Tls13, null)]
    [InlineData(TlsProbeHello.Tls13, "127.0.0.1")]
    public async Task ProbeAsync_NoServerNameOrIpLiteral_ReturnsDefaultChain(TlsProbeHello hello, string? serverName)
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await LoopbackProbe.ProbeAsync(server.Port, hello, serverName);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
    }

    [Fact]
    public async Task ProbeAsync_ServerNameWithTrailingDot_ReturnsSniSelectedChain()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy, TestChain.Alternative.SubjectName + ".");

        Assert.Equal(TestChain.Alternative.Leaf.RawData, result.CertificateChain[0]);
    }

    [Theory]
    [InlineData(TlsProbeHello.Legacy, "-tls1_2")]
    [InlineData(TlsProbeHello.Tls13, "-tls1_3")]
    public async Task ProbeAsync_AnswerDrippedOneByteAtATime_ReturnsChain(TlsProbeHello hello, string version)
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, version);
        await using var proxy = new LoopbackProxy(server.Port, drip: true);
        CountingStream? counting = null;

        var result = await LoopbackProbe.ProbeAsync(proxy.Port, hello, wrap: s => counting = new CountingStream(s));

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);

        // The answer really came in pieces: far more reads than the one or two a whole flight takes.
        Assert.True(counting!.ReadCalls > 20, $"only {counting.ReadCalls} reads");
    }
}
