using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Certitude.Tls.StartTls;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>What the scanner does with a STARTTLS endpoint: connect, negotiate, complete a TLS handshake, keep the certificate.</summary>
internal static class StartTlsClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The DER of the certificate the server presents after the protocol's upgrade step.</summary>
    public static async Task<byte[]> NegotiateAndHandshakeAsync(int port, StartTlsProtocol protocol, string? serverName = "localhost")
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        await StartTlsNegotiator.NegotiateAsync(stream, protocol, serverName, timeout.Token);

        await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",

            // Self-signed test certificates: any certificate is taken, and the test compares it with the one it made.
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
        }, timeout.Token);
        return tls.RemoteCertificate?.GetRawCertData() ?? throw new InvalidOperationException("no certificate presented");
    }

    /// <summary>Connects and negotiates only; the exception (if any) is the test's subject.</summary>
    public static async Task NegotiateAsync(int port, StartTlsProtocol protocol)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await StartTlsNegotiator.NegotiateAsync(client.GetStream(), protocol, "localhost", timeout.Token);
    }
}
