using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// An in-process server on 127.0.0.1 that answers one connection with whatever the test scripts: garbage, lies about
/// lengths, resets. The handler gets the accepted socket and a token canceled on dispose.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private long _bytesSent;

    private HostileServer(TcpListener listener, Func<Socket, CancellationToken, Task> handler)
    {
        _listener = listener;
        _serving = ServeAsync(handler);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes the handler wrote, counted by <see cref="SendAsync"/>.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public static HostileServer Start(Func<HostileServer, Socket, CancellationToken, Task> handler)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        HostileServer? server = null;
        server = new HostileServer(listener, (socket, token) => handler(server!, socket, token));
        return server;
    }

    /// <summary>Reads one ClientHello record (header and body) from the client.</summary>
    public static async Task<byte[]> ReadClientHelloAsync(Socket socket, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        await ReadExactlyAsync(socket, header, cancellationToken);
        var record = new byte[5 + ((header[3] << 8) | header[4])];
        header.CopyTo(record, 0);
        await ReadExactlyAsync(socket, record.AsMemory(5), cancellationToken);
        return record;
    }

    public async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            Interlocked.Add(ref _bytesSent, sent);
            bytes = bytes[sent..];
        }
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            buffer = buffer[read..];
        }
    }

    private async Task ServeAsync(Func<Socket, CancellationToken, Task> handler)
    {
        await Task.Yield();
        try
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true;
            await handler(socket, _stop.Token);

            // Keep the connection open until the test ends, so that the probe's outcome comes from what was sent,
            // not from the server closing.
            await Task.Delay(Timeout.Infinite, _stop.Token);
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
