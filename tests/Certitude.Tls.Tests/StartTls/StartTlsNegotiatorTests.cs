using Certitude.Tls.StartTls;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>The negotiators over replayed server bytes: what they send, what they accept, and that they stop at the last reply byte.</summary>
public sealed class StartTlsNegotiatorTests
{
    /// <summary>The first byte of a TLS record (handshake, RFC 8446 §5.1): stands for whatever follows the agreement.</summary>
    private const string TlsRecordStart = "\u0016\u0003\u0001";

    /// <summary>
    /// A server's side of each protocol up to its agreement: the replies as the RFC examples show them (RFC 3207 §4.1,
    /// RFC 9051 §6.2.1, RFC 2595 §4, RFC 4217 §4 and §9, RFC 6120 §9.1) and the binary answers of LDAP (RFC 4511
    /// §4.14.2, success), PostgreSQL ('S') and MySQL (a HandshakeV10 with CLIENT_SSL).
    /// </summary>
    public static TheoryData<StartTlsProtocol, string> Agreements => new()
    {
        { StartTlsProtocol.Smtp, "220 mail.example.com ESMTP\r\n250-mail.example.com\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 DSN\r\n220 Go ahead\r\n" },
        { StartTlsProtocol.Smtp, "220-mail.example.com ESMTP\r\n220-no UCE\r\n220 hello\r\n250-mail.example.com\r\n250 starttls\r\n220 2.0.0 Ready to start TLS\r\n" },
        { StartTlsProtocol.Imap, "* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] IMAP4rev2 Service Ready\r\na OK Begin TLS negotiation now\r\n" },
        { StartTlsProtocol.Imap, "* OK IMAP4rev2 Service Ready\r\n* CAPABILITY IMAP4rev2 STARTTLS\r\na OK Begin TLS negotiation now\r\n" },
        { StartTlsProtocol.Pop3, "+OK POP3 server ready\r\n+OK Begin TLS negotiation\r\n" },
        { StartTlsProtocol.Ftp, "220-FTP server ready.\r\n Welcome\r\n220 Hello\r\n234 AUTH command OK. Expecting TLS Negotiation.\r\n" },
        { StartTlsProtocol.Ldap, "\u0030\u000c\u0002\u0001\u0001\u0078\u0007\u000a\u0001\u0000\u0004\u0000\u0004\u0000" },
        {
            StartTlsProtocol.Xmpp,
            "<?xml version='1.0'?><stream:stream from='im.example.com' id='t7AMCin9zjMNwQKDnplntZPIDEI=' to='juliet@im.example.com' " +
            "version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>" +
            "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
        },
        { StartTlsProtocol.PostgreSql, "S" },
        { StartTlsProtocol.MySql, MySqlGreeting(sslCapability: true) },
    };

    [Theory]
    [MemberData(nameof(Agreements))]
    public async Task NegotiateAsync_ServerAgrees_StopsAtTheLastByteOfTheAgreement(StartTlsProtocol protocol, string server)
    {
        using var stream = new ReplayStream(server + TlsRecordStart);

        await StartTlsNegotiator.NegotiateAsync(stream, protocol, "mail.example.com", TestContext.Current.CancellationToken);

        Assert.Equal("\u0016\u0003\u0001"u8.ToArray(), stream.Unread);
    }

    [Fact]
    public async Task NegotiateAsync_None_ReadsAndWritesNothing()
    {
        using var stream = new ReplayStream(TlsRecordStart);

        await StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.None, null, TestContext.Current.CancellationToken);

        Assert.Equal("", stream.Written);
        Assert.Equal(3, stream.Unread.Length);
    }

    [Theory]
    [InlineData("mail.example.com", "EHLO mail.example.com\r\nSTARTTLS\r\n")]
    [InlineData("MX1.Example.com.", "EHLO MX1.Example.com\r\nSTARTTLS\r\n")]
    [InlineData("192.0.2.1", "EHLO certitude.invalid\r\nSTARTTLS\r\n")]
    [InlineData(null, "EHLO certitude.invalid\r\nSTARTTLS\r\n")]
    [InlineData("x\r\nRCPT TO:<a@b>", "EHLO certitude.invalid\r\nSTARTTLS\r\n")]
    public async Task NegotiateAsync_Smtp_SendsEhloWithTheServerNameOnlyWhenItIsADnsName(string? serverName, string expected)
    {
        using var stream = new ReplayStream("220 hi\r\n250-hi\r\n250 STARTTLS\r\n220 go\r\n");

        await StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Smtp, serverName, TestContext.Current.CancellationToken);

        Assert.Equal(expected, stream.Written);
    }

    [Fact]
    public async Task NegotiateAsync_Commands_AreTheOnesTheRfcsShow()
    {
        var token = TestContext.Current.CancellationToken;
        using var imap = new ReplayStream("* OK ready\r\na OK go\r\n");
        using var pop3 = new ReplayStream("+OK ready\r\n+OK go\r\n");
        using var ftp = new ReplayStream("220 ready\r\n234 go\r\n");
        using var postgres = new ReplayStream("S");

        await StartTlsNegotiator.NegotiateAsync(imap, StartTlsProtocol.Imap, null, token);
        await StartTlsNegotiator.NegotiateAsync(pop3, StartTlsProtocol.Pop3, null, token);
        await StartTlsNegotiator.NegotiateAsync(ftp, StartTlsProtocol.Ftp, null, token);
        await StartTlsNegotiator.NegotiateAsync(postgres, StartTlsProtocol.PostgreSql, null, token);

        Assert.Equal("a STARTTLS\r\n", imap.Written);
        Assert.Equal("STLS\r\n", pop3.Written);
        Assert.Equal("AUTH TLS\r\n", ftp.Written);

        // SSLRequest: Int32 length 8, Int32 80877103 (0x04d2162f), big-endian.
        Assert.Equal("\u0000\u0000\u0000\u0008\u0004\u00d2\u0016\u002f", postgres.Written);
    }

    [Fact]
    public void EncodeRequest_Ldap_IsTheStartTlsExtendedRequestWithMessageIdOne()
    {
        // 30 1d: LDAPMessage; 02 01 01: messageID 1; 77 18: [APPLICATION 23] ExtendedRequest;
        // 80 16: [0] requestName, the 22 characters of 1.3.6.1.4.1.1466.20037 (RFC 4511 §4.12, §4.14.1).
        var expected = Convert.FromHexString("301d02010177188016").Concat("1.3.6.1.4.1.1466.20037"u8.ToArray()).ToArray();

        Assert.Equal(expected, LdapStartTls.EncodeRequest());
    }

    [Fact]
    public async Task NegotiateAsync_MySql_SendsSslRequestWithSequenceIdOne()
    {
        using var stream = new ReplayStream(MySqlGreeting(sslCapability: true));

        await StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.MySql, null, TestContext.Current.CancellationToken);

        // Header: payload length 32, sequence id 1. Payload: capabilities CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 |
        // CLIENT_SSL | CLIENT_SECURE_CONNECTION (0x8a01), max packet 16 MiB, the server's character set (8), 23 zeros.
        var expected = Convert.FromHexString("20000001" + "018a0000" + "00000001" + "08" + new string('0', 46));
        Assert.Equal(expected, System.Text.Encoding.Latin1.GetBytes(stream.Written));
    }

    [Theory]
    [InlineData(StartTlsProtocol.Smtp, "554 No SMTP service here\r\n", "554")]
    [InlineData(StartTlsProtocol.Smtp, "220 hi\r\n250-hi\r\n250 STARTTLS\r\n454 TLS not available due to temporary reason\r\n", "454 TLS not available")]
    [InlineData(StartTlsProtocol.Smtp, "220 hi\r\n500 what\r\n", "refused EHLO")]
    [InlineData(StartTlsProtocol.Imap, "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n", "server does not offer STARTTLS")]
    [InlineData(StartTlsProtocol.Imap, "* OK ready\r\na BAD unknown command\r\n", "a BAD unknown command")]
    [InlineData(StartTlsProtocol.Imap, "* PREAUTH already authenticated\r\n", "PREAUTH")]
    [InlineData(StartTlsProtocol.Imap, "* BYE go away\r\n", "BYE")]
    [InlineData(StartTlsProtocol.Pop3, "+OK ready\r\n-ERR not supported\r\n", "-ERR not supported")]
    [InlineData(StartTlsProtocol.Pop3, "-ERR go away\r\n", "-ERR go away")]
    [InlineData(StartTlsProtocol.Ftp, "220 ready\r\n502 AUTH not implemented\r\n", "502")]
    [InlineData(StartTlsProtocol.PostgreSql, "N", "'N'")]
    [InlineData(StartTlsProtocol.PostgreSql, "E\u0000\u0000\u0000\u0019SFATAL\u0000Mno SSL here\u0000\u0000", "no SSL here")]
    [InlineData(StartTlsProtocol.Ldap, "\u0030\u000c\u0002\u0001\u0001\u0078\u0007\u000a\u0001\u0002\u0004\u0000\u0004\u0000", "protocolError")]
    [InlineData(StartTlsProtocol.Ldap, "\u0030\u000f\u0002\u0001\u0001\u0078\u000a\u000a\u0001\u0034\u0004\u0000\u0004\u0003off", "unavailable")]
    [InlineData(StartTlsProtocol.Ldap, "HTTP/1.1 400 Bad Request\r\n", "not a SEQUENCE")]
    [InlineData(StartTlsProtocol.MySql, "\u0017\u0000\u0000\u0000\u00ff\u0010\u0004Too many connections", "error 1040")]
    [InlineData(StartTlsProtocol.Xmpp, "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'><stream:features><mechanisms/></stream:features>", "server does not offer STARTTLS")]
    [InlineData(StartTlsProtocol.Xmpp, "<stream:stream><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>", "host-unknown")]
    [InlineData(StartTlsProtocol.Xmpp, "<stream:stream><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features><failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "failure")]
    [InlineData(StartTlsProtocol.Smtp, "HTTP/1.1 400 Bad Request\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData(StartTlsProtocol.Smtp, "220 hi\r\n250-hi\r\n251 STARTTLS\r\n", "does not carry the code")]
    [InlineData(StartTlsProtocol.Smtp, "220 hi\r\n", "closed the connection")]
    public async Task NegotiateAsync_ServerRefusesOrSpeaksSomethingElse_ThrowsWithItsReply(StartTlsProtocol protocol, string server, string expected)
    {
        using var stream = new ReplayStream(server);

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, protocol, null, TestContext.Current.CancellationToken));

        Assert.Equal(protocol, exception.Protocol);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_MySqlWithoutSslCapability_Throws()
    {
        using var stream = new ReplayStream(MySqlGreeting(sslCapability: false));

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.MySql, null, TestContext.Current.CancellationToken));

        Assert.Contains("CLIENT_SSL", exception.Message, StringComparison.Ordinal);
        Assert.Contains("5.5.2-m2", exception.Message, StringComparison.Ordinal);
        Assert.Equal("", stream.Written);
    }

    [Fact]
    public async Task NegotiateAsync_BinaryGarbage_QuotesItAsPrintableAscii()
    {
        var garbage = new string([.. Enumerable.Range(0, 256).Where(value => value != '\n').Select(value => (char)value)]) + "\n";
        using var stream = new ReplayStream(garbage);

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Pop3, null, TestContext.Current.CancellationToken));

        Assert.All(exception.Message, character => Assert.InRange(character, ' ', '~'));
        Assert.Contains("ABCDEFG", exception.Message, StringComparison.Ordinal);
        Assert.EndsWith("...\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_EndlessLine_StopsAfterTheLineLimit()
    {
        using var stream = new ReplayStream("220 " + new string('A', 1024 * 1024));

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Smtp, null, TestContext.Current.CancellationToken));

        Assert.Contains("longer than 4096 bytes", exception.Message, StringComparison.Ordinal);
        Assert.True(stream.Unread.Length > (1024 * 1024) - 4200, "read no more than about one line");
    }

    [Fact]
    public async Task NegotiateAsync_EndlessContinuation_StopsAfterTheLineLimit()
    {
        using var stream = new ReplayStream(string.Concat(Enumerable.Repeat("220-more\r\n", 100_000)));

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Smtp, null, TestContext.Current.CancellationToken));

        Assert.Contains("more than 256 lines", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_EndlessUntaggedImapResponses_StopsAfterTheByteLimit()
    {
        using var stream = new ReplayStream("* OK ready\r\n" + string.Concat(Enumerable.Repeat("* NO [ALERT] wait\r\n", 100_000)));

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Imap, null, TestContext.Current.CancellationToken));

        Assert.Contains("more than 65536 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_EndlessXmppFeatures_StopsAfterTheByteLimit()
    {
        using var stream = new ReplayStream("<stream:stream><stream:features>" + string.Concat(Enumerable.Repeat("<x/>", 100_000)));

        var exception = await Assert.ThrowsAsync<StartTlsException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Xmpp, null, TestContext.Current.CancellationToken));

        Assert.Contains("more than 65536 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var stream = new ReplayStream("220 hi\r\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StartTlsNegotiator.NegotiateAsync(stream, StartTlsProtocol.Smtp, null, new CancellationToken(canceled: true)));
    }

    [Theory]
    [InlineData("mail.example.com", "mail.example.com")]
    [InlineData("_dmarc.example.com", "_dmarc.example.com")]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "certitude.invalid")]
    [InlineData("::1", "certitude.invalid")]
    [InlineData("-bad.example.com", "certitude.invalid")]
    [InlineData("a..b", "certitude.invalid")]
    [InlineData("name with space", "certitude.invalid")]
    [InlineData("x'/><evil", "certitude.invalid")]
    [InlineData("", "certitude.invalid")]
    public void DnsNameOrPlaceholder_KeepsOnlyDnsNames(string name, string expected) =>
        Assert.Equal(expected, StartTlsNegotiator.DnsNameOrPlaceholder(name));

    /// <summary>
    /// The HandshakeV10 example of the MySQL protocol documentation ("Protocol::HandshakeV10", server 5.5.2-m2): its
    /// capability flags 0xf7ff lack CLIENT_SSL (0x0800); with <paramref name="sslCapability"/> they are 0xffff.
    /// </summary>
    internal static string MySqlGreeting(bool sslCapability) => System.Text.Encoding.Latin1.GetString(Convert.FromHexString(
        "360000000a352e352e322d6d32000b00000064764840492d434a00" + (sslCapability ? "ffff" : "fff7") +
        "0802000f8015" + "00000000000000000000" + "2a34647c635a776b345e5d3a00"));
}
