using System.Diagnostics;
using System.Text;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;
using Certitude.Tls.Tests.Support;
using static Certitude.Tls.Tests.Scanning.ScanTestHelpers;

namespace Certitude.Tls.Tests.Scanning;

/// <summary>
/// The engine against in-process servers on 127.0.0.1 that stall, drip, reset or lie: each endpoint ends with the
/// right <see cref="EndpointFailure"/> within its timeouts, retried only where a retry can help (counted by accepts).
/// </summary>
public sealed class TlsScannerHostileServerTests
{
    [Fact]
    public async Task ScanEndpointAsync_ServerNeverAnswers_TimesOutAfterEveryAttempt()
    {
        await using var server = ScriptedListener.Start(ScriptedListener.SilentAsync);
        var options = Quick(TimeSpan.FromSeconds(1), retries: 1);
        var watch = Stopwatch.StartNew();

        var result = await ScanOneAsync(new TlsScanner(options), Endpoint(server.Port));

        watch.Stop();
        Assert.Equal(EndpointFailure.Timeout, result!.Failure);
        Assert.Null(result.Tls);
        Assert.Contains("timeout", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Accepted);
        var floor = options.HandshakeTimeout * (options.Retries + 1);
        Assert.True(watch.Elapsed >= floor - TimeSpan.FromMilliseconds(100), $"took {watch.Elapsed}");
        Assert.True(watch.Elapsed < floor + options.RetryDelay + TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ScanEndpointAsync_ServerDripsSlowerThanTimeout_TimesOut()
    {
        var serverHello = TlsBytes.Record(22, TlsBytes.ServerHello());
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            foreach (var b in serverHello)
            {
                await ScriptedListener.SendAsync(socket, new[] { b }, token);
                await Task.Delay(150, token);
            }

            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(TimeSpan.FromSeconds(1), retries: 0)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.Timeout, result!.Failure);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_ServerSendsGarbage_ReturnsNotTlsWithoutRetry()
    {
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), token);
            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 2)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.NotTls, result!.Failure);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_ServerResetsMidHandshake_ReturnsConnectionClosedAfterRetries()
    {
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(22, TlsBytes.ServerHello()).AsMemory(0, 20), token);
            await Task.Delay(50, token);
            ScriptedListener.Reset(socket);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 2)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.ConnectionClosed, result!.Failure);
        Assert.Equal(3, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_CertificateMessageOf10MB_ReturnsTooLarge()
    {
        const int TenMegabytes = 10 * 1024 * 1024;
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(22, TlsBytes.ServerHello()), token);
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(22, TlsBytes.Handshake(11, TlsBytes.Uint24(TenMegabytes - 3), TenMegabytes)), token);
            var filler = TlsBytes.Record(22, new byte[16384]);
            for (var sent = 0; sent < TenMegabytes; sent += 16384)
            {
                await ScriptedListener.SendAsync(socket, filler, token);
            }
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 1)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.TooLarge, result!.Failure);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_MalformedCertificate_ReturnsMalformed()
    {
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            byte[] emptyCertificate = [0x00, 0x00, 0x03, 0x00, 0x00, 0x00];
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(22, [.. TlsBytes.ServerHello(), .. TlsBytes.Handshake(11, emptyCertificate)]), token);
            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 1)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.Malformed, result!.Failure);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Equal(1, server.Accepted);
    }

    [Theory]
    [InlineData(112)]
    [InlineData(80)]
    [InlineData(49)]
    public async Task ScanEndpointAsync_AlertNotWorthATls13Retry_ReturnsAlertAfterOneConnection(byte alert)
    {
        await using var server = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(21, [2, alert]), token);
            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 2)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.Alert, result!.Failure);
        Assert.Contains($"alert {alert}", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_BothHellosRefusedWithAlert_ReturnsFirstAlertAfterTwoConnections()
    {
        await using var server = ScriptedListener.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            byte description = self.Accepted == 1 ? (byte)70 : (byte)40;
            await ScriptedListener.SendAsync(socket, TlsBytes.Record(21, [2, description]), token);
            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 2)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.Alert, result!.Failure);
        Assert.Contains("alert 70", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_LegacyRefusedThenTls13Garbage_ReportsTheTls13Failure()
    {
        await using var server = ScriptedListener.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            var answer = self.Accepted == 1 ? TlsBytes.Record(21, [2, 70]) : Encoding.ASCII.GetBytes("garbage garbage\r\n");
            await ScriptedListener.SendAsync(socket, answer, token);
            await ScriptedListener.DrainAsync(socket, token);
        });

        var result = await ScanOneAsync(new TlsScanner(Quick(retries: 2)), Endpoint(server.Port));

        Assert.Equal(EndpointFailure.NotTls, result!.Failure);
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task ScanEndpointAsync_UnexpectedExceptionInStartTlsStep_ReturnsMalformedWithMessage()
    {
        await using var server = ScriptedListener.Start(ScriptedListener.SilentAsync);

        var result = await ScanOneAsync(new TlsScanner(Quick()), Endpoint(server.Port, startTls: (StartTlsProtocol)99));

        Assert.Equal(EndpointFailure.Malformed, result!.Failure);
        Assert.Contains(nameof(ArgumentOutOfRangeException), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_EndpointsThatThrowInsideTheEngine_DoNotEndTheScan()
    {
        await using var garbage = ScriptedListener.Start(async (_, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await ScriptedListener.SendAsync(socket, "nope\r\n"u8.ToArray(), token);
            await ScriptedListener.DrainAsync(socket, token);
        });
        var counters = new ScanCounters();
        ScanEndpoint[] endpoints =
        [
            Endpoint(garbage.Port, startTls: (StartTlsProtocol)99),
            Endpoint(70_000),
            Endpoint(garbage.Port),
        ];

        var results = await CollectAsync(new TlsScanner(Quick() with { Concurrency = 1 }), endpoints, counters);

        Assert.Equal(3, results.Count);
        Assert.Equal(EndpointFailure.NotTls, results.Single(r => r.Endpoint == endpoints[2]).Failure);
        Assert.All(results.Where(r => r.Endpoint != endpoints[2]), r => Assert.Equal(EndpointFailure.Malformed, r.Failure));
        Assert.Equal(3, counters.Done);
        Assert.Equal(3, counters.Errors);
    }

    [Fact]
    public async Task ScanAsync_HostileServersOfEveryKind_YieldOneResultEach()
    {
        await using var silent = ScriptedListener.Start(ScriptedListener.SilentAsync);
        await using var reset = ScriptedListener.Start(static (_, socket, _) =>
        {
            ScriptedListener.Reset(socket);
            return Task.CompletedTask;
        });
        await using var closing = ScriptedListener.Start(static (_, _, _) => Task.CompletedTask);
        var counters = new ScanCounters();

        var results = await CollectAsync(
            new TlsScanner(Quick(TimeSpan.FromSeconds(1), retries: 1)),
            [Endpoint(silent.Port), Endpoint(reset.Port), Endpoint(closing.Port)],
            counters);

        Assert.Equal(EndpointFailure.Timeout, results.Single(r => r.Endpoint.Port == silent.Port).Failure);
        Assert.Equal(EndpointFailure.ConnectionClosed, results.Single(r => r.Endpoint.Port == reset.Port).Failure);
        Assert.Equal(EndpointFailure.ConnectionClosed, results.Single(r => r.Endpoint.Port == closing.Port).Failure);
        Assert.Equal(3, counters.Errors);
        Assert.Equal(2, reset.Accepted);
        Assert.Equal(2, closing.Accepted);
    }
}
