namespace Certitude.Features.Authority;

/// <summary>
/// Publishes each CA's CRL again before it runs out (at half its validity), even when nothing was revoked: a
/// relying party with a CRL past its nextUpdate treats every certificate of the CA as of unknown status.
/// </summary>
internal sealed class CrlPublisher(RevocationService revocation, TimeProvider time, ILogger<CrlPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var refreshed = await revocation.RefreshDueCrlsAsync(stoppingToken);
                if (refreshed > 0)
                {
                    logger.LogInformation("Published {Count} CRLs before their next update", refreshed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Publishing CRLs failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
