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
    public async Task<long> ScanAsync(ChunkLeaseDto lease, Func<IReadOnlyList<ScanResultDto>, CancellationToken, Task<bool>> submit,
        CancellationToken cancellationToken)
    {
        var targets = TargetParser.Parse(lease.Targets, lease.Ports, lease.Exclusions, new TargetLimits(ulong.MaxValue, int.MaxValue, int.MaxValue));
        var (resolved, _) = await HostNameResolution.ResolveAsync(targets, resolver, cancellationToken);
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

        var beat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(heartbeat);
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await FlushAsync(stop.Token);
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
