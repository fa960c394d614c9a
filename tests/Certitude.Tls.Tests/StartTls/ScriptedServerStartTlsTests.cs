using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Certitude.Tls.StartTls;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>
/// STARTTLS over a real loopback socket against in-process scripted servers, for the protocols whose servers the tests
/// do not run (XMPP, MySQL: Debian's prosody and mariadb-server are heavy to start per test) and for hostile servers.
/// The scripts play the replies byte for byte as the specifications show them, check what the client sent, and then
/// serve TLS with the test's certificate on the same connection.
/// </summary>
public sealed class ScriptedServerStartTlsTests
{
    [Fact]
    public async Task NegotiateAsync_XmppServerFromRfc6120Example_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        string? clientHeader = null;
        string? clientStartTls = null;

        // RFC 6120 §9.1.1 (TLS negotiation example): the server's stream header, features with <starttls/> and
        // <required/>, and <proceed/>.
        await using var server = ScriptedStartTlsServer.Start(async (stream, token) =>
        {
            clientHeader = await ScriptedStartTlsServer.ReadUntilAsync(stream, "version='1.0'>", token);
            await ScriptedStartTlsServer.WriteAsync(stream,
                "<?xml version='1.0'?><stream:stream from='localhost' id='t7AMCin9zjMNwQKDnplntZPIDEI=' to='juliet@localhost' " +
                "version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
                "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>", token);
            clientStartTls = await ScriptedStartTlsServer.ReadUntilAsync(stream, "/>", token);
            await ScriptedStartTlsServer.WriteAsync(stream, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", token);
        }, certificate.Certificate);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Port, StartTlsProtocol.Xmpp);

        Assert.Equal(certificate.Certificate.RawData, presented);
        Assert.Equal("<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client' " +
            "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>", clientHeader);
        Assert.Equal("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", clientStartTls);
    }

    [Fact]
    public async Task NegotiateAsync_MySqlServerFromProtocolDocumentation_PresentsGeneratedCertificate()
    {
        using var certificate = new GeneratedCertificate();
        byte[]? sslRequest = null;

        // The MySQL documentation's HandshakeV10 example with CLIENT_SSL set; then the client's 36-byte SSLRequest
        // packet, then TLS (Protocol::SSLRequest).
        await using var server = ScriptedStartTlsServer.Start(async (stream, token) =>
        {
            var greeting = Encoding.Latin1.GetBytes(StartTlsNegotiatorTests.MySqlGreeting(sslCapability: true));
            await stream.WriteAsync(greeting, token);
            sslRequest = new byte[36];
            await stream.ReadExactlyAsync(sslRequest, token);
        }, certificate.Certificate);

        var presented = await StartTlsClient.NegotiateAndHandshakeAsync(server.Port, StartTlsProtocol.MySql);

        Assert.Equal(certificate.Certificate.RawData, presented);
        Assert.Equal(Convert.FromHexString("20000001018a00000000000108" + new string('0', 46)), sslRequest);
    }

    [Fact]
    public async Task NegotiateAsync_ServerSendsAnEndlessLine_ThrowsAfterReadingOneLineLimit()
    {
        await using var server = ScriptedStartTlsServer.Start(async (stream, token) =>
        {
            var chunk = Encoding.ASCII.GetBytes("220 " + new string('A', 4092));
            try
            {
                // At most 4 MiB: the client must give up long before.
                for (var i = 0; i < 1024; i++)
                {
                    await stream.WriteAsync(chunk, token);
                }
            }
            catch (IOException)
            {
                // The client hung up: what this test wants.
            }
        });
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<StartTlsException>(() => StartTlsClient.NegotiateAsync(server.Port, StartTlsProtocol.Smtp));

        Assert.Contains("longer than 4096 bytes", exception.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task NegotiateAsync_ServerHangsUp_ThrowsClosed()
    {
        await using var server = ScriptedStartTlsServer.Start((_, _) => Task.CompletedTask);

        var exception = await Assert.ThrowsAsync<StartTlsException>(() => StartTlsClient.NegotiateAsync(server.Port, StartTlsProtocol.Imap));

        Assert.Contains("closed the connection", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegotiateAsync_SilentServer_ThrowsOperationCanceledAtTheCallersTimeout()
    {
        await using var server = ScriptedStartTlsServer.Start((_, token) => Task.Delay(Timeout.Infinite, token));
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, server.Port, TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StartTlsNegotiator.NegotiateAsync(client.GetStream(), StartTlsProtocol.Smtp, "localhost", timeout.Token));
    }
}
