using System.Net;
using System.Net.Sockets;

namespace Certitude.Bench.Pki;

internal static class Loopback
{
    /// <summary>A port nothing listens on now (the OS picks it), for a server started right after.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port.</summary>
    public static async Task WaitForListenerAsync(int port, ExternalProcess process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"nothing listens on 127.0.0.1:{port}: {e.Message}\n{process.Output}", e);
            }
        }
    }
}
