using Certitude.Tls.Probing;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;
using Certitude.Tls.Tests.StartTls;
using Certitude.Tls.Tests.Support;
using static Certitude.Tls.Tests.Scanning.ScanTestHelpers;

namespace Certitude.Tls.Tests.Scanning;

/// <summary>The engine against real servers (openssl s_server, gnutls-serv, postfix, PostgreSQL) on loopback.</summary>
public sealed class TlsScannerTests
{
    [Fact]
    public async Task ScanEndpointAsync_OpenSslTls12_ReturnsTls12AndChain()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_2");

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port));

        Assert.NotNull(result);
        Assert.Null(result.Failure);
        Assert.Equal(TlsProtocolVersion.Tls12, result.Tls!.Protocol);
        Assert.False(result.Tls.ServerSupportsTls13);
        TestChain.Rsa.AssertIsChainOf(result.Tls.Chain);
        Assert.Null(result.WithoutSni);
    }

    [Fact]
    public async Task ScanEndpointAsync_OpenSslDefault_ReturnsTls12WithTls13Announced()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Ecdsa);

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port));

        // The legacy hello offers at most TLS 1.2; OpenSSL 3 marks its random with the RFC 8446 §4.1.3 sentinel.
        Assert.Equal(TlsProtocolVersion.Tls12, result!.Tls!.Protocol);
        Assert.True(result.Tls.ServerSupportsTls13);
        TestChain.Ecdsa.AssertIsChainOf(result.Tls.Chain);
    }

    [Fact]
    public async Task ScanEndpointAsync_OpenSslTls13Only_FallsBackToTls13Probe()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_3");

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port));

        Assert.Null(result!.Failure);
        Assert.Equal(TlsProtocolVersion.Tls13, result.Tls!.Protocol);
        Assert.True(result.Tls.ServerSupportsTls13);
        Assert.StartsWith("TLS_AES_", result.Tls.CipherSuite, StringComparison.Ordinal);
        TestChain.Rsa.AssertIsChainOf(result.Tls.Chain);
    }

    [Fact]
    public async Task ScanEndpointAsync_GnuTlsTls10Only_ReturnsTls10()
    {
        await using var server = await GnuTlsServer.StartAsync(TestChain.Rsa, "NORMAL:-VERS-ALL:+VERS-TLS1.0");

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port));

        Assert.Equal(TlsProtocolVersion.Tls10, result!.Tls!.Protocol);
        TestChain.Rsa.AssertIsChainOf(result.Tls.Chain);
    }

    [Fact]
    public async Task ScanEndpointAsync_HostNameSelectingSniCertificate_ReturnsBothCertificates()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port, TestChain.Alternative.SubjectName));

        // s_server sends the -cert2 certificate alone (no -cert_chain for it).
        Assert.Equal(TestChain.Alternative.Leaf.RawData, result!.Tls!.Chain[0]);
        TestChain.Rsa.AssertIsChainOf(result.WithoutSni!.Chain);
    }

    [Fact]
    public async Task ScanEndpointAsync_HostNameWithProbeWithoutSniOff_ProbesOnce()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await ScanOneAsync(new TlsScanner(new ScannerOptions { ProbeWithoutSni = false }), Endpoint(server.Port, TestChain.Alternative.SubjectName));

        Assert.Equal(TestChain.Alternative.Leaf.RawData, result!.Tls!.Chain[0]);
        Assert.Null(result.WithoutSni);
    }

    [Fact]
    public async Task ScanEndpointAsync_HostNameIsAddressLiteral_SkipsTheRepeatedProbe()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, TestChain.Alternative);

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port, "127.0.0.1"));

        TestChain.Rsa.AssertIsChainOf(result!.Tls!.Chain);
        Assert.Null(result.WithoutSni);
    }

    [Fact]
    public async Task ScanEndpointAsync_PostfixSmtpStartTls_ReadsCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostfixServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.SmtpPort, startTls: StartTlsProtocol.Smtp));

        Assert.True(result!.Failure is null, result.Error);
        Assert.Equal(certificate.Certificate.RawData, result.Tls!.Chain[0]);
    }

    [Fact]
    public async Task ScanEndpointAsync_PostgreSqlStartTls_ReadsCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostgresTlsServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port, startTls: StartTlsProtocol.PostgreSql));

        Assert.True(result!.Failure is null, result.Error);
        Assert.Equal(certificate.Certificate.RawData, result.Tls!.Chain[0]);
    }

    [Fact]
    public async Task ScanEndpointAsync_PostgreSqlWithoutSsl_ReturnsStartTlsRefused()
    {
        await using var server = await PostgresTlsServer.StartWithoutTlsAsync();

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(server.Port, startTls: StartTlsProtocol.PostgreSql));

        Assert.Equal(EndpointFailure.StartTlsRefused, result!.Failure);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public async Task ScanEndpointAsync_ClosedPort_ReturnsNull()
    {
        var port = PeerProcess.FreeLoopbackPort();

        var result = await ScanOneAsync(new TlsScanner(), Endpoint(port));

        Assert.Null(result);
    }

    [Fact]
    public async Task ScanAsync_ClosedPortAmongOpen_YieldsOnlyOpenAndCountsAll()
    {
        await using var server = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_2");
        var counters = new ScanCounters();

        var results = await CollectAsync(new TlsScanner(), [Endpoint(PeerProcess.FreeLoopbackPort()), Endpoint(server.Port)], counters);

        var result = Assert.Single(results);
        Assert.Equal(server.Port, result.Endpoint.Port);
        Assert.Equal(2, counters.Done);
        Assert.Equal(1, counters.Open);
        Assert.Equal(1, counters.Certificates);
        Assert.Equal(0, counters.Errors);
    }
}
