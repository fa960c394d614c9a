using System.Diagnostics;
using System.Net;
using Certitude.Tls.Scanning;
using Certitude.Tls.Tests.Support;
using static Certitude.Tls.Tests.Scanning.ScanTestHelpers;

namespace Certitude.Tls.Tests.Scanning;

/// <summary>
/// The engine as a whole: silent endpoints never stall the others, one host never gets more than its share of
/// connections, cancelling ends everything, and large lists of closed ports are all counted.
/// </summary>
public sealed class TlsScannerConcurrencyTests
{
    [Fact]
    public async Task ScanAsync_SilentServersAmongGoodOnes_ReturnsEveryResultWithinTimeouts()
    {
        await using var first = await OpenSslServer.StartAsync(TestChain.Rsa, "-tls1_2");
        await using var second = await OpenSslServer.StartAsync(TestChain.Ecdsa);
        var silent = new List<ScriptedListener>();
        try
        {
            for (var i = 2; i <= 4; i++)
            {
                silent.Add(ScriptedListener.Start(ScriptedListener.SilentAsync, IPAddress.Parse($"127.0.0.{i}")));
            }

            // The silent ones first, so that both workers meet them before any good endpoint.
            var endpoints = silent.Select(s => Endpoint(s.Port, address: s.Address)).ToList();
            for (var i = 0; i < 3; i++)
            {
                endpoints.Add(Endpoint(first.Port));
                endpoints.Add(Endpoint(second.Port));
            }

            var options = Quick(TimeSpan.FromSeconds(1), retries: 1) with { Concurrency = 2 };
            var counters = new ScanCounters();
            var watch = Stopwatch.StartNew();

            var results = await CollectAsync(new TlsScanner(options), endpoints, counters);

            watch.Stop();
            Assert.Equal(9, results.Count);
            Assert.Equal(3, results.Count(r => r.Failure == EndpointFailure.Timeout));
            Assert.Equal(6, results.Count(r => r.Tls is not null));
            Assert.All(results.Where(r => r.Endpoint.Port == first.Port), r => TestChain.Rsa.AssertIsChainOf(r.Tls!.Chain));
            Assert.All(results.Where(r => r.Endpoint.Port == second.Port), r => TestChain.Ecdsa.AssertIsChainOf(r.Tls!.Chain));
            Assert.Equal(9, counters.Done);
            Assert.Equal(6, counters.Certificates);
            Assert.Equal(3, counters.Errors);

            // Three silent endpoints at 2 × 1 s each over two workers, plus the good ones: seconds, not minutes.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        }
        finally
        {
            foreach (var listener in silent)
            {
                await listener.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ScanAsync_ManyEndpointsOnTwoHosts_NeverExceedsPerHostLimitAndScansHostsTogether()
    {
        var open = 0;
        var maxOpen = 0;
        async Task HoldAsync(ScriptedListener self, System.Net.Sockets.Socket socket, CancellationToken token)
        {
            var now = Interlocked.Increment(ref open);
            InterlockedMax(ref maxOpen, now);
            try
            {
                await Task.Delay(200, token);
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        }

        await using var hostA = ScriptedListener.Start(HoldAsync, IPAddress.Parse("127.0.0.1"), ports: 6);
        await using var hostB = ScriptedListener.Start(HoldAsync, IPAddress.Parse("127.0.0.2"), ports: 6);

        // Host by host, as a name's addresses over many ports come: without per-host queues every worker would wait
        // behind host A's limit before host B got a connection.
        var endpoints = new List<ScanEndpoint>();
        foreach (var host in new[] { hostA, hostB })
        {
            for (var round = 0; round < 3; round++)
            {
                endpoints.AddRange(host.Ports.Select(port => Endpoint(port, address: host.Address)));
            }
        }

        var options = Quick(retries: 0) with { Concurrency = 8, MaxConnectionsPerHost = 2 };
        var counters = new ScanCounters();

        var results = await CollectAsync(new TlsScanner(options), endpoints, counters);

        Assert.Equal(36, results.Count);
        Assert.All(results, r => Assert.Equal(EndpointFailure.ConnectionClosed, r.Failure));
        Assert.Equal(18, hostA.Accepted);
        Assert.Equal(18, hostB.Accepted);
        Assert.InRange(hostA.MaxOpen, 1, 2);
        Assert.InRange(hostB.MaxOpen, 1, 2);
        Assert.True(maxOpen >= 3, $"at most {maxOpen} connections at once over both hosts");
    }

    [Fact]
    public async Task ScanAsync_CanceledMidway_ThrowsPromptlyAndLeavesNothingRunning()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await using var quick = ScriptedListener.Start(static async (_, socket, token) =>
            {
                await HostileServer.ReadClientHelloAsync(socket, token);
                await ScriptedListener.SendAsync(socket, "not tls\r\n"u8.ToArray(), token);
                await ScriptedListener.DrainAsync(socket, token);
            });
            await using var silent = ScriptedListener.Start(ScriptedListener.SilentAsync, IPAddress.Parse("127.0.0.6"), ports: 4);
            var endpoints = new List<ScanEndpoint> { Endpoint(quick.Port) };
            for (var i = 0; i < 50; i++)
            {
                endpoints.AddRange(silent.Ports.Select(port => Endpoint(port, address: silent.Address)));
            }

            var options = Quick(TimeSpan.FromMinutes(1)) with { Concurrency = 4, MaxConnectionsPerHost = 4 };
            using var cancel = new CancellationTokenSource();
            var enumerator = new TlsScanner(options).ScanAsync(endpoints, null, cancel.Token).GetAsyncEnumerator(cancel.Token);
            try
            {
                using var limit = new CancellationTokenSource(TestLimit);
                Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(limit.Token));
                Assert.Equal(EndpointFailure.NotTls, enumerator.Current.Failure);
                await WaitUntilAsync(() => silent.Open >= 3);

                var watch = Stopwatch.StartNew();
                await cancel.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enumerator.MoveNextAsync().AsTask().WaitAsync(limit.Token));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
            }
            finally
            {
                await enumerator.DisposeAsync();
            }

            // Every connection the scan opened is closed, and none is opened afterwards.
            await WaitUntilAsync(() => silent.Open == 0);
            var accepted = silent.Accepted;
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.Equal(accepted, silent.Accepted);
            Assert.True(accepted < 200, $"{accepted} connections");
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        lock (unobserved)
        {
            Assert.DoesNotContain(unobserved, e => e.ToString().Contains("Certitude.Tls.Scanning", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ScanAsync_StoppedReadingEarly_EndsWorkers()
    {
        await using var garbage = ScriptedListener.Start(static async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, "not tls\r\n"u8.ToArray(), token);
            await ScriptedListener.DrainAsync(socket, token);
        });
        var endpoints = Enumerable.Repeat(Endpoint(garbage.Port), 500);

        using var limit = new CancellationTokenSource(TestLimit);
        await foreach (var result in new TlsScanner(Quick() with { Concurrency = 4 }).ScanAsync(endpoints, null, limit.Token))
        {
            Assert.Equal(EndpointFailure.NotTls, result.Failure);
            break;
        }

        await WaitUntilAsync(() => garbage.Open == 0);
        var accepted = garbage.Accepted;
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(accepted, garbage.Accepted);
        Assert.True(accepted < 500, $"{accepted} connections");
    }

    [Fact]
    public async Task ScanAsync_HundredsOfClosedPorts_CountsEveryOne()
    {
        // 30 addresses of 127.3.0.0/24, host by host, 10 low ports each: nothing listens there.
        var endpoints = new List<ScanEndpoint>();
        for (var host = 1; host <= 30; host++)
        {
            for (var port = 1; port <= 10; port++)
            {
                endpoints.Add(Endpoint(port, address: IPAddress.Parse($"127.3.0.{host}")));
            }
        }

        var counters = new ScanCounters();

        var results = await CollectAsync(new TlsScanner(new ScannerOptions { Concurrency = 64 }), endpoints, counters);

        Assert.Equal(endpoints.Count, counters.Done);
        Assert.Equal(results.Count, counters.Open);
        Assert.Empty(results);
    }

    [Fact]
    public async Task ScanAsync_LazyEndpointList_IsEnumeratedOnce()
    {
        var enumerated = 0;
        IEnumerable<ScanEndpoint> Endpoints()
        {
            for (var port = 1; port <= 200; port++)
            {
                Interlocked.Increment(ref enumerated);
                yield return Endpoint(port, address: IPAddress.Parse("127.3.1.1"));
            }
        }

        var counters = new ScanCounters();

        await CollectAsync(new TlsScanner(new ScannerOptions { Concurrency = 16 }), Endpoints(), counters);

        Assert.Equal(200, enumerated);
        Assert.Equal(200, counters.Done);
    }

    [Fact]
    public async Task ScanAsync_EndpointListThrows_EndsTheScanWithThatException()
    {
        static IEnumerable<ScanEndpoint> Broken()
        {
            yield return Endpoint(1, address: IPAddress.Parse("127.3.2.1"));
            throw new InvalidOperationException("broken list");
        }

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => CollectAsync(new TlsScanner(), Broken()));

        Assert.Equal("broken list", exception.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
