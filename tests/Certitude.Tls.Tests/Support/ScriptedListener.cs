using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// In-process servers on one or more loopback ports that answer every connection with the test's script, counting
/// accepted connections and the most open at once (over all ports: one host's load). A connection counts as open
/// from its accept until its handler returns; the socket is then closed.
/// </summary>
internal sealed class ScriptedListener : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _accepting = [];
    private readonly List<Task> _handlers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ScriptedListener, Socket, CancellationToken, Task> _handler;
    private int _accepted;
    private int _open;
    private int _maxOpen;

    private ScriptedListener(Func<ScriptedListener, Socket, CancellationToken, Task> handler) => _handler = handler;

    public IPAddress Address { get; private set; } = IPAddress.Loopback;

    public IReadOnlyList<int> Ports => _listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();

    public int Port => Ports[0];

    public int Accepted => Volatile.Read(ref _accepted);

    public int Open => Volatile.Read(ref _open);

    public int MaxOpen => Volatile.Read(ref _maxOpen);

    /// <param name="handler">The script for one connection; its token is canceled on dispose.</param>
    /// <param name="address">A loopback address (127.0.0.1 when null).</param>
    /// <param name="ports">How many ports to listen on.</param>
    public static ScriptedListener Start(Func<ScriptedListener, Socket, CancellationToken, Task> handler, IPAddress? address = null, int ports = 1)
    {
        var server = new ScriptedListener(handler) { Address = address ?? IPAddress.Loopback };
        for (var i = 0; i < ports; i++)
        {
            var listener = new TcpListener(server.Address, 0);
            listener.Start(512);
            server._listeners.Add(listener);
            server._accepting.Add(server.AcceptAsync(listener));
        }

        return server;
    }

    /// <summary>Accepts and says nothing, reading until the client goes (so a closed client ends the connection).</summary>
    public static Task SilentAsync(ScriptedListener self, Socket socket, CancellationToken cancellationToken) => DrainAsync(socket, cancellationToken);

    /// <summary>Reads and discards until the client closes or resets.</summary>
    public static async Task DrainAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }

    public static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Closes with RST (linger 0) instead of FIN.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                var open = Interlocked.Increment(ref _open);
                var max = Volatile.Read(ref _maxOpen);
                while (open > max && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
                {
                    max = Volatile.Read(ref _maxOpen);
                }

                lock (_handlers)
                {
                    _handlers.Add(HandleAsync(socket));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        await Task.Yield();
        try
        {
            socket.NoDelay = true;
            await _handler(this, socket, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException or EndOfStreamException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_accepting);
        Task[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        await Task.WhenAll(handlers);
        _stop.Dispose();
    }
}
