using Certitude.Tls.StartTls;

namespace Certitude.Tls.Tests.StartTls;

public sealed class StartTlsPortsTests
{
    [Theory]
    [InlineData(25, StartTlsProtocol.Smtp)]
    [InlineData(587, StartTlsProtocol.Smtp)]
    [InlineData(110, StartTlsProtocol.Pop3)]
    [InlineData(143, StartTlsProtocol.Imap)]
    [InlineData(21, StartTlsProtocol.Ftp)]
    [InlineData(389, StartTlsProtocol.Ldap)]
    [InlineData(5222, StartTlsProtocol.Xmpp)]
    [InlineData(5432, StartTlsProtocol.PostgreSql)]
    [InlineData(3306, StartTlsProtocol.MySql)]
    [InlineData(443, StartTlsProtocol.None)]
    [InlineData(465, StartTlsProtocol.None)]
    [InlineData(993, StartTlsProtocol.None)]
    [InlineData(636, StartTlsProtocol.None)]
    [InlineData(0, StartTlsProtocol.None)]
    public void ForWellKnownPort_IanaServicePorts_MapToTheirProtocol(int port, StartTlsProtocol expected) =>
        Assert.Equal(expected, StartTlsPorts.ForWellKnownPort(port));

    [Theory]
    [InlineData("smtp", StartTlsProtocol.Smtp)]
    [InlineData("SUBMISSION", StartTlsProtocol.Smtp)]
    [InlineData("Imap", StartTlsProtocol.Imap)]
    [InlineData("pop3", StartTlsProtocol.Pop3)]
    [InlineData("ftp", StartTlsProtocol.Ftp)]
    [InlineData("ldap", StartTlsProtocol.Ldap)]
    [InlineData("xmpp", StartTlsProtocol.Xmpp)]
    [InlineData("postgres", StartTlsProtocol.PostgreSql)]
    [InlineData("PostgreSQL", StartTlsProtocol.PostgreSql)]
    [InlineData("mysql", StartTlsProtocol.MySql)]
    [InlineData("none", StartTlsProtocol.None)]
    [InlineData("TLS", StartTlsProtocol.None)]
    public void TryParse_KnownName_ReturnsItsProtocol(string name, StartTlsProtocol expected)
    {
        Assert.True(StartTlsPorts.TryParse(name, out var protocol));
        Assert.Equal(expected, protocol);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http")]
    [InlineData("smtps")]
    [InlineData("pop")]
    public void TryParse_UnknownName_ReturnsFalse(string name)
    {
        Assert.False(StartTlsPorts.TryParse(name, out var protocol));
        Assert.Equal(StartTlsProtocol.None, protocol);
    }
}
