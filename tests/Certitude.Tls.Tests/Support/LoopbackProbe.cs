using System.Net;
using System.Net.Sockets;
using Certitude.Tls.Probing;

namespace Certitude.Tls.Tests.Support;

/// <summary>Connects to 127.0.0.1 and probes, with a time limit so a broken test fails instead of hanging.</summary>
internal static class LoopbackProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<TlsProbeResult> ProbeAsync(int port, TlsProbeHello hello, string? serverName = null, Func<Stream, Stream>? wrap = null, TimeSpan? timeout = null)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await client.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        var stream = client.GetStream();
        return await TlsProbe.ProbeAsync(wrap?.Invoke(stream) ?? stream, new TlsProbeRequest(serverName, hello), cancel.Token);
    }

    public static async Task<TlsProbeException> FailAsync(int port, TlsProbeHello hello, string? serverName = null, Func<Stream, Stream>? wrap = null) =>
        await Assert.ThrowsAsync<TlsProbeException>(() => ProbeAsync(port, hello, serverName, wrap));
}
