using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// An in-process stand-in for a server we do not run for real: accepts one connection on a loopback port, plays a
/// script over the plain stream (the replies byte for byte as the protocol's specification shows them), then — when
/// given a certificate — hands the same connection to an <see cref="SslStream"/> server. Also plays broken and hostile
/// servers (garbage, endless lines).
/// </summary>
public sealed class ScriptedStartTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    private ScriptedStartTlsServer(TcpListener listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The server's side of the one connection: completes after the script (and TLS handshake); faults when they fail.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts listening on 127.0.0.1 and serves one connection.</summary>
    /// <param name="script">The plain-text part; it receives the connection and a token cancelled on dispose.</param>
    /// <param name="tlsCertificate">When given (with its private key), TLS is served after the script.</param>
    public static ScriptedStartTlsServer Start(Func<Stream, CancellationToken, Task> script, X509Certificate2? tlsCertificate = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var server = new ScriptedStartTlsServer(listener);
        server.Completion = server.ServeAsync(script, tlsCertificate);
        return server;
    }

    /// <summary>Reads one line up to LF (a server's view of a client command), at most 4 KiB, without reading past it.</summary>
    public static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 4096)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("the client closed the connection");
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }

        throw new InvalidDataException("client line too long");
    }

    /// <summary>Reads up to and including <paramref name="terminator"/> (at most 4 KiB), without reading past it.</summary>
    public static async Task<string> ReadUntilAsync(Stream stream, string terminator, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (text.Length < 4096)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("the client closed the connection");
            }

            text.Append((char)one[0]);
            if (text.Length >= terminator.Length && text.ToString(text.Length - terminator.Length, terminator.Length) == terminator)
            {
                return text.ToString();
            }
        }

        throw new InvalidDataException("client message too long");
    }

    /// <summary>Writes ASCII text.</summary>
    public static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // The test has asserted what it needed; a script cut short by the client's hang-up is expected here.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(Func<Stream, CancellationToken, Task> script, X509Certificate2? tlsCertificate)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        client.NoDelay = true;
        var stream = client.GetStream();
        await script(stream, _stop.Token);
        if (tlsCertificate is null)
        {
            return;
        }

        await using var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = tlsCertificate }, _stop.Token);

        // Wait for the client to close, so that the handshake's last flight is not cut off by our close.
        var buffer = new byte[256];
        while (await tls.ReadAsync(buffer, _stop.Token) > 0)
        {
        }
    }
}
