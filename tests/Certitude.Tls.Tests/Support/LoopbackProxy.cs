using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A loopback TCP proxy to a real server for one connection. It keeps a copy of what the client sent (to count the
/// ClientHellos of a HelloRetryRequest exchange) and, when asked, drips the server's answer one byte per send
/// (TCP_NODELAY), pausing now and then so the bytes really arrive in separate reads: the slowest server the probe must
/// still read correctly.
/// </summary>
internal sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly MemoryStream _fromClient = new();
    private readonly bool _drip;
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public LoopbackProxy(int targetPort, bool drip)
    {
        _targetPort = targetPort;
        _drip = drip;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The number of ClientHello handshake records the client sent so far.</summary>
    public int ClientHelloCount
    {
        get
        {
            lock (_fromClient)
            {
                var bytes = _fromClient.GetBuffer().AsSpan(0, (int)_fromClient.Length);
                var count = 0;
                while (bytes.Length >= 6)
                {
                    var length = (bytes[3] << 8) | bytes[4];
                    count += bytes[0] == 22 && bytes[5] == 1 ? 1 : 0;
                    bytes = bytes[Math.Min(bytes.Length, 5 + length)..];
                }

                return count;
            }
        }
    }

    private async Task ServeAsync()
    {
        await Task.Yield();
        try
        {
            using var client = await _listener.AcceptSocketAsync(_stop.Token);
            using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var upstream = PumpAsync(client, server, fromClient: true);
            var downstream = PumpAsync(server, client, fromClient: false);
            await Task.WhenAny(upstream, downstream);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromClient)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (fromClient)
                {
                    lock (_fromClient)
                    {
                        _fromClient.Write(buffer, 0, read);
                    }
                }

                if (fromClient || !_drip)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                    continue;
                }

                for (var i = 0; i < read; i++)
                {
                    await to.SendAsync(buffer.AsMemory(i, 1), SocketFlags.None, _stop.Token);
                    if (i % 32 == 31)
                    {
                        await Task.Delay(1, _stop.Token);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
