namespace Certitude.Features.Discovery.Pages;

/// <summary>
/// Re-runs a page's refresh on a timer while it says there is more to watch (a run still queued or running), and
/// stops when the page goes away. The refresh catches its own errors (it shows them).
/// </summary>
internal sealed class LiveRefresh(TimeSpan interval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private bool _running;

    /// <summary>Starts the loop unless it runs already; <paramref name="refresh"/> returns whether to keep going.</summary>
    public void Start(Func<Task<bool>> refresh)
    {
        if (_running || _stop.IsCancellationRequested)
        {
            return;
        }

        _running = true;
        _ = LoopAsync(refresh);
    }

    private async Task LoopAsync(Func<Task<bool>> refresh)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(_stop.Token) && await refresh())
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _running = false;
        }
    }

    // Cancelled, not disposed: a refresh in flight may still read the token, and a source without timers holds nothing.
    public void Dispose() => _stop.Cancel();
}
