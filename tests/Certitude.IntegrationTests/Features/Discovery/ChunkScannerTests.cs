using System.Net;
using System.Net.Sockets;
using Certitude.Features.Discovery;
using Certitude.Tls.Scanning;
using Certitude.Tls.Targets;

namespace Certitude.IntegrationTests.Features.Discovery;

public sealed class ChunkScannerTests
{
    /// <summary>
    /// "localhost" resolves (from /etc/hosts, never the network) to 127.0.0.1 and ::1; with only ::1 allowed, the
    /// listener on 127.0.0.1 is never contacted: a host name cannot carry a scan out of the allowed ranges.
    /// </summary>
    [Fact]
    public async Task ScanAsync_HostNameResolvingOutsideTheAllowedRanges_IsNotContacted()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var lease = new ChunkLeaseDto(1, 1, Guid.NewGuid(), [$"localhost:{port}"], null, [], DateTimeOffset.UtcNow.AddMinutes(1), ["::1/128"]);
        var scanner = new ChunkScanner(new ScannerOptions { ConnectTimeout = TimeSpan.FromSeconds(1), Retries = 0 }, new SystemHostNameResolver(),
            TimeSpan.FromSeconds(30));
        var submitted = new List<ScanResultDto>();

        await scanner.ScanAsync(lease, (batch, _) =>
        {
            submitted.AddRange(batch);
            return Task.FromResult(true);
        }, TestContext.Current.CancellationToken);

        Assert.False(listener.Pending());
        Assert.DoesNotContain(submitted, r => r.Address == "127.0.0.1");
    }

    [Fact]
    public async Task ScanAsync_HostNameInsideTheAllowedRanges_IsScanned()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask();
        var lease = new ChunkLeaseDto(1, 1, Guid.NewGuid(), [$"localhost:{port}"], null, [], DateTimeOffset.UtcNow.AddMinutes(1), ["127.0.0.0/8"]);
        var scanner = new ChunkScanner(new ScannerOptions { ConnectTimeout = TimeSpan.FromSeconds(1), HandshakeTimeout = TimeSpan.FromMilliseconds(300), Retries = 0 },
            new SystemHostNameResolver(), TimeSpan.FromSeconds(30));
        var submitted = new List<ScanResultDto>();

        await scanner.ScanAsync(lease, (batch, _) =>
        {
            submitted.AddRange(batch);
            return Task.FromResult(true);
        }, TestContext.Current.CancellationToken);

        using var client = await accepted;
        var result = Assert.Single(submitted, r => r.Address == "127.0.0.1");
        Assert.Equal("localhost", result.HostName);
        Assert.Equal("timeout", result.Failure);
    }
}
