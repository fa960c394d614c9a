using Certitude.Tls.Probing;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.Probing;

/// <summary>
/// The probe against GnuTLS (<c>gnutls-serv</c>) for the versions Debian's OpenSSL 3 no longer serves. SSL 3.0 is not
/// tested: GnuTLS 3.7 on Debian 12 has no VERS-SSL3.0 any more (<c>gnutls-cli --list</c>), and neither has Debian's
/// OpenSSL, so nothing here can serve it.
/// </summary>
public sealed class TlsProbeGnuTlsTests
{
    [Theory]
    [InlineData("NORMAL:-VERS-ALL:+VERS-TLS1.0", TlsProtocolVersion.Tls10)]
    [InlineData("NORMAL:-VERS-ALL:+VERS-TLS1.1", TlsProtocolVersion.Tls11)]
    [InlineData("NORMAL:-VERS-ALL:+VERS-TLS1.2", TlsProtocolVersion.Tls12)]
    public async Task ProbeAsync_GnuTlsServerWithVersion_ReturnsVersionAndChain(string priority, TlsProtocolVersion version)
    {
        await using var server = await GnuTlsServer.StartAsync(TestChain.Rsa, priority);

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(version, result.Protocol);
    }

    [Fact]
    public async Task ProbeAsync_GnuTlsServerWith3DesOnly_Returns3DesSuite()
    {
        await using var server = await GnuTlsServer.StartAsync(TestChain.Rsa, "NORMAL:-VERS-ALL:+VERS-TLS1.0:-CIPHER-ALL:+3DES-CBC:-KX-ALL:+RSA");

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        TestChain.Rsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal("TLS_RSA_WITH_3DES_EDE_CBC_SHA", result.CipherSuiteName);
    }

    [Fact]
    public async Task ProbeAsync_GnuTlsTls13Server_DecryptsChain()
    {
        await using var server = await GnuTlsServer.StartAsync(TestChain.Ecdsa, "NORMAL:-VERS-ALL:+VERS-TLS1.3");

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Tls13);

        TestChain.Ecdsa.AssertIsChainOf(result.CertificateChain);
        Assert.Equal(TlsProtocolVersion.Tls13, result.Protocol);
    }
}
