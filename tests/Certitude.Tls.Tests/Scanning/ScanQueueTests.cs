using System.Net;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;

namespace Certitude.Tls.Tests.Scanning;

public sealed class ScanQueueTests
{
    private static readonly IPAddress HostA = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress HostB = IPAddress.Parse("192.0.2.2");

    [Fact]
    public async Task NextAsync_HostAtLimit_HandsOutOtherHostsAndQueuesTheRest()
    {
        ScanEndpoint a1 = new(HostA, 1, null, StartTlsProtocol.None), a2 = a1 with { Port = 2 }, a3 = a1 with { Port = 3 };
        ScanEndpoint b1 = new(HostB, 1, null, StartTlsProtocol.None);
        var gate = new HostGate(1);
        var queue = new ScanQueue(new List<ScanEndpoint> { a1, a2, a3, b1 }.GetEnumerator(), gate, maxQueued: 100);

        Assert.Equal(a1, await queue.NextAsync(null, CancellationToken.None));
        Assert.Equal(b1, await queue.NextAsync(null, CancellationToken.None));
        Assert.Equal(2, queue.QueuedCount);

        // The worker done with a host carries on with its queue; the one done with B finds nothing left.
        Assert.Equal(a2, await queue.NextAsync(a1, CancellationToken.None));
        Assert.Null(await queue.NextAsync(b1, CancellationToken.None));
        Assert.Equal(a3, await queue.NextAsync(a2, CancellationToken.None));
        Assert.Null(await queue.NextAsync(a3, CancellationToken.None));
        Assert.Equal(0, queue.QueuedCount);
        Assert.Equal(0, gate.TrackedAddresses);
    }

    [Fact]
    public async Task NextAsync_QueueFull_WaitsForTheHostInsteadOfQueueing()
    {
        ScanEndpoint a1 = new(HostA, 1, null, StartTlsProtocol.None), a2 = a1 with { Port = 2 }, a3 = a1 with { Port = 3 };
        var gate = new HostGate(1);
        var queue = new ScanQueue(new List<ScanEndpoint> { a1, a2, a3 }.GetEnumerator(), gate, maxQueued: 1);

        Assert.Equal(a1, await queue.NextAsync(null, CancellationToken.None));
        var waiting = queue.NextAsync(null, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, queue.QueuedCount);

        Assert.Equal(a2, await queue.NextAsync(a1, CancellationToken.None));
        Assert.False(waiting.IsCompleted);
        Assert.Null(await queue.NextAsync(a2, CancellationToken.None));
        Assert.Equal(a3, await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Null(await queue.NextAsync(a3, CancellationToken.None));
        Assert.Equal(0, gate.TrackedAddresses);
    }
}
