using Certitude.Tls.StartTls;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>
/// STARTTLS against the servers people run (Debian packages, each started in the foreground on a loopback port for one
/// test, with a certificate the test generated): after the upgrade, the TLS handshake must show exactly that certificate.
/// </summary>
public sealed class RealServerStartTlsTests
{
    [Fact]
    public async Task NegotiateAsync_PostfixSmtp_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostfixServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.SmtpPort, StartTlsProtocol.Smtp);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_PostfixSubmission_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostfixServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.SubmissionPort, StartTlsProtocol.Smtp);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_PostfixWithoutTls_ThrowsServerDoesNotOfferStartTls()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostfixServer.StartAsync(certificate.CertificatePath, certificate.KeyPath, offerStartTls: false);

        var exception = await Assert.ThrowsAsync<StartTlsException>(() => StartTlsClient.NegotiateAsync(server.SmtpPort, StartTlsProtocol.Smtp));

        Assert.Equal(StartTlsProtocol.Smtp, exception.Protocol);
        Assert.Contains("server does not offer STARTTLS", exception.Message, StringComparison.Ordinal);
        Assert.Contains("250", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_DovecotImap_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await DovecotServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.ImapPort, StartTlsProtocol.Imap);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_DovecotPop3_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await DovecotServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Pop3Port, StartTlsProtocol.Pop3);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_PostgreSqlWithSsl_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await PostgresTlsServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Port, StartTlsProtocol.PostgreSql);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_PostgreSqlWithoutSsl_ThrowsRefused()
    {
        await using var server = await PostgresTlsServer.StartWithoutTlsAsync();

        var exception = await Assert.ThrowsAsync<StartTlsException>(() => StartTlsClient.NegotiateAsync(server.Port, StartTlsProtocol.PostgreSql));

        Assert.Equal(StartTlsProtocol.PostgreSql, exception.Protocol);
        Assert.Contains("'N'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_SlapdLdap_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await SlapdServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Port, StartTlsProtocol.Ldap);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }

    [Fact]
    public async Task NegotiateAsync_VsftpdFtp_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        await using var server = await VsftpdServer.StartAsync(certificate.CertificatePath, certificate.KeyPath);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Port, StartTlsProtocol.Ftp);

        Assert.Equal(certificate.Certificate.RawData, presented);
    }
}
