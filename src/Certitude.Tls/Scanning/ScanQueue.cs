using System.Net;

namespace Certitude.Tls.Scanning;

/// <summary>
/// Hands a scan's endpoints to its workers so that a host at its connection limit never holds a worker idle: an
/// endpoint whose host is busy waits in that host's queue and the worker takes the next one; the worker that finishes
/// with a host carries on with that host's queue. Without this, a list ordered host by host (a name's addresses on
/// every port) would pile every worker up behind one host's limit and scan at the per-host rate.
/// </summary>
/// <remarks>
/// Invariant: a host has queued endpoints only while all its places are taken, so a worker finishing with it always
/// finds them. The queues hold at most <c>maxQueued</c> endpoints; past that a worker waits for its endpoint's host.
/// </remarks>
internal sealed class ScanQueue(IEnumerator<ScanEndpoint> source, HostGate gate, int maxQueued)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<IPAddress, Queue<ScanEndpoint>> _queued = [];
    private int _queuedCount;
    private bool _sourceDone;

    /// <summary>Endpoints waiting for their host.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_sync)
            {
                return _queuedCount;
            }
        }
    }

    /// <summary>
    /// The next endpoint to scan, with a place for its host taken; null when nothing is left for this worker (the
    /// endpoints still queued belong to hosts whose workers will take them).
    /// </summary>
    /// <param name="finished">The endpoint the worker just scanned: its place goes to its host's next queued endpoint, or back to the gate.</param>
    /// <param name="cancellationToken">Stops taking endpoints.</param>
    public async ValueTask<ScanEndpoint?> NextAsync(ScanEndpoint? finished, CancellationToken cancellationToken)
    {
        ScanEndpoint? blocked = null;
        lock (_sync)
        {
            if (finished is not null)
            {
                if (_queued.TryGetValue(finished.Address, out var queue))
                {
                    _queuedCount--;
                    var next = queue.Dequeue();
                    if (queue.Count == 0)
                    {
                        _queued.Remove(finished.Address);
                    }

                    return next;
                }

                gate.Leave(finished.Address);
            }

            while (!_sourceDone && !cancellationToken.IsCancellationRequested)
            {
                bool more;
                try
                {
                    more = source.MoveNext();
                }
                catch
                {
                    _sourceDone = true;
                    throw;
                }

                if (!more)
                {
                    _sourceDone = true;
                    break;
                }

                var endpoint = source.Current;
                if (gate.TryEnter(endpoint.Address))
                {
                    return endpoint;
                }

                if (_queuedCount >= maxQueued)
                {
                    blocked = endpoint;
                    break;
                }

                if (!_queued.TryGetValue(endpoint.Address, out var hostQueue))
                {
                    _queued[endpoint.Address] = hostQueue = new Queue<ScanEndpoint>();
                }

                hostQueue.Enqueue(endpoint);
                _queuedCount++;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (blocked is null)
        {
            return null;
        }

        await gate.EnterAsync(blocked.Address, cancellationToken).ConfigureAwait(false);
        return blocked;
    }
}
