using System.Net;
using Certitude.Tls.Scanning;

namespace Certitude.Tls.Tests.Scanning;

public sealed class HostGateTests
{
    private static readonly IPAddress HostA = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress HostB = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void TryEnter_UpToLimit_ThenRefusesForThatHostOnly()
    {
        var gate = new HostGate(2);

        Assert.True(gate.TryEnter(HostA));
        Assert.True(gate.TryEnter(HostA));
        Assert.False(gate.TryEnter(HostA));
        Assert.True(gate.TryEnter(HostB));
    }

    [Fact]
    public void Leave_EveryPlace_ForgetsTheHost()
    {
        var gate = new HostGate(2);
        gate.TryEnter(HostA);
        gate.TryEnter(HostA);

        gate.Leave(HostA);
        Assert.Equal(1, gate.TrackedAddresses);
        gate.Leave(HostA);

        Assert.Equal(0, gate.TrackedAddresses);
    }

    [Fact]
    public async Task EnterAsync_AtLimit_WaitsForLeaveInArrivalOrder()
    {
        var gate = new HostGate(1);
        await gate.EnterAsync(HostA, CancellationToken.None);

        var first = gate.EnterAsync(HostA, CancellationToken.None).AsTask();
        var second = gate.EnterAsync(HostA, CancellationToken.None).AsTask();
        Assert.False(first.IsCompleted);

        gate.Leave(HostA);
        await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        Assert.False(gate.TryEnter(HostA));

        gate.Leave(HostA);
        await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        gate.Leave(HostA);
        Assert.Equal(0, gate.TrackedAddresses);
    }

    [Fact]
    public async Task EnterAsync_CanceledWaiter_DoesNotLeakAPlace()
    {
        var gate = new HostGate(1);
        gate.TryEnter(HostA);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(HostA, cancel.Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        gate.Leave(HostA);

        // The place went back to the gate, not to the canceled waiter.
        Assert.Equal(0, gate.TrackedAddresses);
        Assert.True(gate.TryEnter(HostA));
        gate.Leave(HostA);
        Assert.Equal(0, gate.TrackedAddresses);
    }

    [Fact]
    public async Task EnterAsync_AlreadyCanceledTokenAtLimit_Throws()
    {
        var gate = new HostGate(1);
        gate.TryEnter(HostA);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterAsync(HostA, new CancellationToken(true)).AsTask());

        gate.Leave(HostA);
        Assert.Equal(0, gate.TrackedAddresses);
    }
}
