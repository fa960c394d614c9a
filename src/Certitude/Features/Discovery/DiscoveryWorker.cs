using Certitude.Tls.Scanning;
using Certitude.Tls.Targets;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Discovery;

/// <summary>
/// The server's discovery loop: starts the runs of due schedules, and (unless turned off) scans the chunks of runs
/// without a zone itself, one chunk at a time, through the same lease protocol as agents. Woken at once when a run is
/// queued on this node; otherwise every <see cref="DiscoveryOptions.PollIntervalMilliseconds"/>.
/// </summary>
internal sealed class DiscoveryWorker(
    ScanDefinitionService definitions,
    ScanRunService runs,
    ScanWorkSignal signal,
    IOptions<DiscoveryOptions> options,
    ILogger<DiscoveryWorker> logger) : BackgroundService
{
    private readonly string _holder = $"server:{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var scanner = new ChunkScanner(new ScannerOptions
        {
            Concurrency = settings.Concurrency,
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.ConnectTimeoutMilliseconds),
            HandshakeTimeout = TimeSpan.FromMilliseconds(settings.HandshakeTimeoutMilliseconds),
        }, HostNameResolvers.Create(settings.DnsServer is { } dns && DnsServerResolver.TryParseServer(dns, out var server) ? server : null), TimeSpan.FromSeconds(Math.Max(1, settings.LeaseSeconds / 3)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await definitions.StartDueAsync(stoppingToken);
                await runs.CloseAbandonedRunsAsync(TimeSpan.FromMinutes(10), stoppingToken);
                while (settings.LocalScanner && await runs.LeaseAsync(null, _holder, stoppingToken) is { } lease)
                {
                    await ScanChunkAsync(scanner, lease, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Discovery work failed; trying again shortly");
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ScanChunkAsync(ChunkScanner scanner, ChunkLeaseDto lease, CancellationToken stoppingToken)
    {
        try
        {
            var probed = await scanner.ScanAsync(lease,
                async (batch, ct) => (await runs.SubmitResultsAsync(lease.ChunkId, lease.LeaseToken, batch, ct)).Held, stoppingToken);
            await runs.CompleteChunkAsync(lease.ChunkId, lease.LeaseToken, probed, stoppingToken);
        }
        catch (LeaseLostException e)
        {
            logger.LogWarning("{Message}", e.Message);
        }
    }
}
