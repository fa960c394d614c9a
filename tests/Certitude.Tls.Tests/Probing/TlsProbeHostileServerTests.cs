using System.Net.Sockets;
using System.Text;
using Certitude.Tls.Probing;
using Certitude.Tls.Tests.Support;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Probing;

/// <summary>
/// The probe against in-process servers on 127.0.0.1 that send exactly the bytes a broken or hostile server would:
/// each failure must be the right <see cref="TlsProbeFailure"/>, fast, and with bounded reading.
/// </summary>
public sealed class TlsProbeHostileServerTests
{
    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("220 mail.probe.test ESMTP Postfix\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2p1\r\n")]
    [InlineData("OK\n")]
    [InlineData("\u0000\u0001\u0002\u0003\u00ff\u00fe")]
    [InlineData("\u0016\u0002\u0000\u0000\u0000")]
    public async Task ProbeAsync_ServerAnswersWithNonTls_ThrowsNotTls(string answer)
    {
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, Encoding.Latin1.GetBytes(answer), token);
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.NotTls, failure.Failure);
    }

    [Fact]
    public async Task ProbeAsync_CertificateAnnouncing10MB_ThrowsTooLargeAfterBoundedRead()
    {
        var tenMegabytes = 10 * 1024 * 1024;
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, TlsBytes.Record(22, TlsBytes.ServerHello()), token);
            var announced = TlsBytes.Handshake(11, TlsBytes.Uint24(tenMegabytes - 3), tenMegabytes);
            await self.SendAsync(socket, TlsBytes.Record(22, announced), token);
            var filler = TlsBytes.Record(22, new byte[16384]);
            for (var sent = 0; sent < tenMegabytes; sent += 16384)
            {
                await self.SendAsync(socket, filler, token);
            }
        });
        CountingStream? counting = null;

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy, wrap: s => counting = new CountingStream(s));

        Assert.Equal(TlsProbeFailure.TooLarge, failure.Failure);

        // The announced length fails the probe as soon as the message header is in, long before the limit.
        Assert.True(counting!.BytesRead <= TlsLimits.MaxHandshakeMessageLength, $"read {counting.BytesRead} bytes");
    }

    [Fact]
    public async Task ProbeAsync_EndlessWarningAlerts_ThrowsTooLargeAfterBoundedRead()
    {
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, TlsBytes.Record(22, TlsBytes.ServerHello()), token);
            var alerts = new List<byte>();
            for (var i = 0; i < 1000; i++)
            {
                alerts.AddRange(TlsBytes.Record(21, [1, 112]));
            }

            var batch = alerts.ToArray();
            while (self.BytesSent < 4 * TlsLimits.MaxBytesRead)
            {
                await self.SendAsync(socket, batch, token);
            }
        });
        CountingStream? counting = null;

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy, wrap: s => counting = new CountingStream(s));

        Assert.Equal(TlsProbeFailure.TooLarge, failure.Failure);
        Assert.True(counting!.BytesRead <= TlsLimits.MaxBytesRead, $"read {counting.BytesRead} bytes");
    }

    [Fact]
    public async Task ProbeAsync_ServerResetsMidHandshake_ThrowsConnectionClosed()
    {
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            var serverHello = TlsBytes.Record(22, TlsBytes.ServerHello());
            await self.SendAsync(socket, serverHello.AsMemory(0, 20), token);
            await Task.Delay(100, token);

            // Linger 0: close sends RST, not FIN.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.ConnectionClosed, failure.Failure);
    }

    [Fact]
    public async Task ProbeAsync_ServerClosesAfterServerHello_ThrowsConnectionClosed()
    {
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, TlsBytes.Record(22, TlsBytes.ServerHello()), token);
            socket.Shutdown(SocketShutdown.Both);
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.ConnectionClosed, failure.Failure);
    }

    [Fact]
    public async Task ProbeAsync_ServerClosesWithoutAnswer_ThrowsConnectionClosed()
    {
        await using var server = HostileServer.Start(static (_, socket, _) =>
        {
            socket.Shutdown(SocketShutdown.Both);
            return Task.CompletedTask;
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Tls13);

        Assert.Equal(TlsProbeFailure.ConnectionClosed, failure.Failure);
    }

    [Fact]
    public async Task ProbeAsync_ServerSendsFatalAlert_ThrowsAlertWithDescription()
    {
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, TlsBytes.Record(21, [2, 40]), token);
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.Alert, failure.Failure);
        Assert.Equal((byte)40, failure.AlertDescription);
    }

    public static TheoryData<string, byte[]> BrokenCertificateMessages => new()
    {
        { "list longer than the message", [0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0xAA] },
        { "certificate longer than the list", [0x00, 0x00, 0x04, 0x00, 0x00, 0x09, 0xAA] },
        { "bytes after the list", [0x00, 0x00, 0x04, 0x00, 0x00, 0x01, 0xAA, 0xBB] },
        { "empty list", [0x00, 0x00, 0x00] },
        { "empty certificate", [0x00, 0x00, 0x03, 0x00, 0x00, 0x00] },
        { "truncated list length", [0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(BrokenCertificateMessages))]
    public async Task ProbeAsync_BrokenCertificateMessage_ThrowsMalformed(string what, byte[] body)
    {
        Assert.NotNull(what);
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, TlsBytes.Record(22, [.. TlsBytes.ServerHello(), .. TlsBytes.Handshake(11, body)]), token);
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.Malformed, failure.Failure);
    }

    public static TheoryData<string, byte[]> BrokenFlights => new()
    {
        { "record longer than TLS allows", [0x16, 0x03, 0x03, 0x50, 0x00] },
        { "ServerHello selecting TLS 1.3 by supported_versions", TlsBytes.Record(22, TlsBytes.ServerHello(extensions: [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04])) },
        { "ServerHello with version 0x0304", TlsBytes.Record(22, TlsBytes.ServerHello(version: 0x0304)) },
        { "ServerHello with a suite not offered", TlsBytes.Record(22, TlsBytes.ServerHello(cipherSuite: 0x1301)) },
        { "Certificate before ServerHello", TlsBytes.Record(22, TlsBytes.Handshake(11, TlsBytes.CertificateBody([0x30, 0x00]))) },
        { "ServerHelloDone instead of Certificate", TlsBytes.Record(22, [.. TlsBytes.ServerHello(), .. TlsBytes.Handshake(14, [])]) },
        { "change_cipher_spec before Certificate", [.. TlsBytes.Record(22, TlsBytes.ServerHello()), .. TlsBytes.Record(20, [1])] },
        { "application data before Certificate", [.. TlsBytes.Record(22, TlsBytes.ServerHello()), .. TlsBytes.Record(23, [1, 2, 3])] },
        { "truncated ServerHello", TlsBytes.Record(22, TlsBytes.Handshake(2, [0x03, 0x03, 0x00])) },
        { "invalid second record header", [.. TlsBytes.Record(22, TlsBytes.ServerHello()), 0x48, 0x54, 0x54, 0x50, 0x2F] },
    };

    [Theory]
    [MemberData(nameof(BrokenFlights))]
    public async Task ProbeAsync_BrokenFlight_ThrowsMalformed(string what, byte[] flight)
    {
        Assert.NotNull(what);
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, flight, token);
        });

        var failure = await LoopbackProbe.FailAsync(server.Port, TlsProbeHello.Legacy);

        Assert.Equal(TlsProbeFailure.Malformed, failure.Failure);
    }

    /// <summary>
    /// The same valid flight (ServerHello and Certificate) in the shapes TLS allows: both messages in one record, a
    /// record per message, and records of 7 bytes so that every header and length straddles a boundary; also behind
    /// a warning alert, which a TLS 1.2 client ignores.
    /// </summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(0, true)]
    public async Task ProbeAsync_FlightFragmentedAcrossRecords_ReturnsChain(int recordSize, bool warningFirst)
    {
        var chain = TestChain.Ecdsa;
        var serverHello = TlsBytes.ServerHello(cipherSuite: 0xC02B);
        var certificate = TlsBytes.Handshake(11, TlsBytes.CertificateBody(chain.Leaf.RawData, chain.Intermediate.RawData));
        var flight = new List<byte>();
        if (warningFirst)
        {
            flight.AddRange(TlsBytes.Record(21, [1, 112]));
        }

        if (recordSize == 0)
        {
            flight.AddRange(TlsBytes.Record(22, [.. serverHello, .. certificate]));
        }
        else if (recordSize == 1)
        {
            flight.AddRange(TlsBytes.Record(22, serverHello));
            flight.AddRange(TlsBytes.Record(22, certificate));
        }
        else
        {
            byte[] messages = [.. serverHello, .. certificate];
            for (var offset = 0; offset < messages.Length; offset += recordSize)
            {
                flight.AddRange(TlsBytes.Record(22, messages.AsSpan(offset, Math.Min(recordSize, messages.Length - offset))));
            }
        }

        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            await HostileServer.ReadClientHelloAsync(socket, token);
            await self.SendAsync(socket, flight.ToArray(), token);
        });

        var result = await LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Legacy);

        chain.AssertIsChainOf(result.CertificateChain);
        Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", result.CipherSuiteName);
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverAnswers_ThrowsOperationCanceledAtTimeout()
    {
        await using var server = HostileServer.Start(static (_, socket, token) => HostileServer.ReadClientHelloAsync(socket, token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => LoopbackProbe.ProbeAsync(server.Port, TlsProbeHello.Tls13, timeout: TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData(TlsProbeHello.Legacy, "probe.test", "probe.test")]
    [InlineData(TlsProbeHello.Tls13, "probe.test", "probe.test")]
    [InlineData(TlsProbeHello.Legacy, "127.0.0.1", null)]
    [InlineData(TlsProbeHello.Legacy, "::1", null)]
    [InlineData(TlsProbeHello.Tls13, "[::1]", null)]
    [InlineData(TlsProbeHello.Legacy, null, null)]
    public async Task ProbeAsync_ServerName_IsSentOnlyForDnsNames(TlsProbeHello hello, string? serverName, string? expected)
    {
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HostileServer.Start(async (self, socket, token) =>
        {
            received.SetResult(await HostileServer.ReadClientHelloAsync(socket, token));
            await self.SendAsync(socket, TlsBytes.Record(21, [2, 40]), token);
        });

        await LoopbackProbe.FailAsync(server.Port, hello, serverName);

        Assert.Equal(expected, ClientHelloReader.ServerName(await received.Task));
    }
}
