using System.Runtime.ExceptionServices;
using Certitude.Tls.Scanning;
using Certitude.Tls.Targets;

namespace Certitude.Features.Discovery;

/// <summary>
/// Works through one leased chunk with the scanner engine — the same code in the server and in <c>certitude agent</c>:
/// resolves its host names, probes every endpoint, and hands results over in batches (every 200 results or 5 s). A
/// handover doubles as the lease's heartbeat, sent even without results; when the lease is lost (it ran out and another
/// scanner took the chunk) the work stops.
/// </summary>
internal sealed class ChunkScanner(ScannerOptions scannerOptions, IHostNameResolver resolver, TimeSpan heartbeat)
{
    private const int BatchSize = 200;

    /// <summary>Scans the chunk; returns how many endpoints were probed.</summary>
    /// <param name="lease">The chunk.</param>
    /// <param name="submit">Hands a batch over; false when the lease is lost.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <exception cref="LeaseLostException">The lease was lost on the way.</exception>
    /// <remarks>An exception of <paramref name="submit"/> ends the scan and is thrown from here.</remarks>
    public async Task<long> ScanAsync(ChunkLeaseDto lease, Func<IReadOnlyList<ScanResultDto>, CancellationToken, Task<bool>> submit,
        CancellationToken cancellationToken)
    {
        var targets = TargetParser.Parse(lease.Targets, lease.Ports, lease.Exclusions, new TargetLimits(ulong.MaxValue, int.MaxValue, int.MaxValue));
        var (resolved, _) = await HostNameResolution.ResolveAsync(targets, resolver, cancellationToken);

        // A host name may resolve anywhere: only its addresses inside the allowed ranges are scanned, so that a name
        // cannot carry a scan out of the networks the administrator opened to discovery.
        if (lease.AllowedRanges is { } allowedRanges)
        {
            var allowed = DiscoverySettingsService.ParseRanges(allowedRanges);
            resolved = resolved.ToDictionary(r => r.Key, r => (IReadOnlyList<System.Net.IPAddress>)[.. r.Value.Where(a => allowed.Any(range => range.Contains(a)))],
                StringComparer.Ordinal);
        }
        var counters = new ScanCounters();
        var pending = new List<ScanResultDto>();
        using var gate = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lost = false;

        async Task FlushAsync(CancellationToken token)
        {
            await gate.WaitAsync(token);
            try
            {
                List<ScanResultDto> batch;
                lock (pending)
                {
                    batch = [.. pending];
                    pending.Clear();
                }

                if (!await submit(batch, token))
                {
                    lost = true;
                    await stop.CancelAsync();
                }
            }
            finally
            {
                gate.Release();
            }
        }

        Exception? handoverFailure = null;
        var beat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(heartbeat);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await FlushAsync(stop.Token);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed handover ends the chunk at once: scanning on without heartbeats would only lose the lease
                // later, with every result found meanwhile.
                handoverFailure = e;
                await stop.CancelAsync();
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var result in new TlsScanner(scannerOptions).ScanAsync(targets.Endpoints(resolved), counters, stop.Token))
            {
                int count;
                lock (pending)
                {
                    pending.Add(ScanResultMapping.From(result));
                    count = pending.Count;
                }

                if (count >= BatchSize)
                {
                    await FlushAsync(stop.Token);
                }
            }

            await FlushAsync(stop.Token);
        }
        catch (OperationCanceledException) when (lost)
        {
            throw new LeaseLostException(lease.ChunkId);
        }
        catch (OperationCanceledException) when (handoverFailure is not null && !cancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(handoverFailure);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await beat;
            }
            catch (OperationCanceledException)
            {
                // The heartbeat ends with the scan.
            }
        }

        return lost ? throw new LeaseLostException(lease.ChunkId) : counters.Done;
    }
}
