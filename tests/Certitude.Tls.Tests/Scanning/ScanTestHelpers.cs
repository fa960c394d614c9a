using System.Net;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;

namespace Certitude.Tls.Tests.Scanning;

/// <summary>Endpoints on loopback and collecting a scan's results with a time limit, so a broken engine fails instead of hanging.</summary>
internal static class ScanTestHelpers
{
    public static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    public static ScanEndpoint Endpoint(int port, string? hostName = null, StartTlsProtocol startTls = StartTlsProtocol.None, IPAddress? address = null) =>
        new(address ?? IPAddress.Loopback, port, hostName, startTls);

    public static async Task<List<EndpointScanResult>> CollectAsync(TlsScanner scanner, IEnumerable<ScanEndpoint> endpoints, ScanCounters? counters = null)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var results = new List<EndpointScanResult>();
        await foreach (var result in scanner.ScanAsync(endpoints, counters, limit.Token))
        {
            results.Add(result);
        }

        return results;
    }

    public static async Task<EndpointScanResult?> ScanOneAsync(TlsScanner scanner, ScanEndpoint endpoint)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        return await scanner.ScanEndpointAsync(endpoint, limit.Token);
    }

    /// <summary>Fast timeouts for in-process servers (a retry after a short pause).</summary>
    public static ScannerOptions Quick(TimeSpan? handshakeTimeout = null, int retries = 1) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(5),
        Retries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };
}
