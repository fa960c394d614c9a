using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// An in-process listener on one loopback address and port: a TLS server presenting a given certificate, or a silent
/// one that accepts and never says a word (each probe runs into the scanner's handshake timeout: what makes a chunk
/// take seconds without a single packet leaving the machine).
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly Task _accepting;

    private LoopbackListener(IPEndPoint endpoint, X509Certificate2? certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(endpoint);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static LoopbackListener Tls(IPEndPoint endpoint, X509Certificate2 certificate) => new(endpoint, certificate);

    public static LoopbackListener Silent(IPEndPoint endpoint) => new(endpoint, null);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_certificate is null)
            {
                lock (_held)
                {
                    _held.Add(socket);
                }
            }
            else
            {
                _ = ServeAsync(socket, _certificate);
            }
        }
    }

    private async Task ServeAsync(Socket socket, X509Certificate2 certificate)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            // A scanner closes as soon as it has the certificate: a handshake cut short is the normal case.
        }
    }
}
