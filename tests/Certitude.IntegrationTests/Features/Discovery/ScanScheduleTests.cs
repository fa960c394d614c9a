using System.Net;
using System.Net.Http.Json;
using Certitude.Features.Discovery;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryTestApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// Saved scans on their schedules: the next run time follows the cron expression, due runs start exactly once even
/// when two server nodes look at the same moment, and a scan whose targets the allowed ranges no longer cover is refused.
/// </summary>
public abstract class ScanScheduleTests(DiscoveryServerFixture fixture)
{
    private readonly CertitudeServer _server = fixture.Server;
    private readonly DiscoveryServerFixture _fixture = fixture;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAndUpdateScan_Schedule_NextRunAtFollowsTheCron()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var now = _fixture.Time.GetUtcNow();

        var daily = await CreateScanAsync(admin, new { name = $"daily {subnet}", targets = new[] { $"{subnet}.0.1" }, ports = "443", zone = "sched", schedule = "30 4 * * *" });
        var weekly = await CreateScanAsync(admin, new { name = $"weekly {subnet}", targets = new[] { $"{subnet}.0.2" }, ports = "443", zone = "sched" });

        // "30 4 * * *": the first 04:30 UTC after now.
        var today0430 = new DateTimeOffset(now.UtcDateTime.Date.AddHours(4).AddMinutes(30), TimeSpan.Zero);
        Assert.Equal(today0430 > now ? today0430 : today0430.AddDays(1), daily.NextRunAt);
        // No schedule: the default "0 3 * * 0" (DiscoveryOptions.DefaultSchedule), the first Sunday 03:00 UTC after now.
        Assert.Equal("0 3 * * 0", weekly.Schedule);
        var sunday0300 = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-(int)now.UtcDateTime.DayOfWeek).AddHours(3), TimeSpan.Zero);
        Assert.Equal(sunday0300 > now ? sunday0300 : sunday0300.AddDays(7), weekly.NextRunAt);

        using (var response = await admin.PutAsJsonAsync($"/api/v1/discovery/scans/{daily.Id}", new { schedule = "0 0 1 * *" }, Json, Cancel))
        {
            var monthly = await ReadAsync<ScanDefinitionDto>(response, HttpStatusCode.OK);
            var firstOfMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            Assert.Equal(firstOfMonth, monthly.NextRunAt);
        }

        using (var response = await admin.PutAsJsonAsync($"/api/v1/discovery/scans/{daily.Id}", new { enabled = false }, Json, Cancel))
        {
            Assert.Null((await ReadAsync<ScanDefinitionDto>(response, HttpStatusCode.OK)).NextRunAt);
        }
    }

    [Fact]
    public async Task StartDue_TwoNodesAtOnce_StartExactlyOneRunPerDueTime()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var scan = await CreateScanAsync(admin, new { name = $"hourly {subnet}", targets = new[] { $"{subnet}.0.1" }, ports = "443", zone = "sched", schedule = "0 * * * *" });
        // Two nodes: the server's service and a second instance over the same database, as another server would have.
        var nodes = new[] { _server.Services.GetRequiredService<ScanDefinitionService>(), ActivatorUtilities.CreateInstance<ScanDefinitionService>(_server.Services) };

        const int Rounds = 4;
        for (var round = 1; round <= Rounds; round++)
        {
            _fixture.Time.Advance(TimeSpan.FromHours(1));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var calls = nodes.SelectMany(node => new[] { node, node }).Select(node => Task.Run(async () =>
            {
                await go.Task;
                return await node.StartDueAsync(Cancel);
            }, Cancel)).ToList();
            go.SetResult();
            await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60), Cancel);

            var runs = await RunsOfAsync(admin, scan.Id);
            Assert.Equal(round, runs.Count);
            Assert.All(runs, r => Assert.Equal("schedule", r.Trigger));
        }
    }

    [Fact]
    public async Task RunScan_AllowedRangesNarrowedSinceSaved_RefusedAndNothingQueued()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var other = NewSubnet();
        var excluded = await CreateScanAsync(admin, new { name = $"narrowed {subnet}", targets = new[] { $"{subnet}.0.1" }, ports = "443", zone = "sched", schedule = "0 * * * *" });
        var still = await CreateScanAsync(admin, new { name = $"still {other}", targets = new[] { $"{other}.0.1" }, ports = "443", zone = "sched", schedule = "0 * * * *" });
        var before = (await admin.GetFromJsonAsync<DiscoverySettingsDto>("/api/v1/discovery/settings", Json, Cancel))!;
        try
        {
            await UpdateSettingsAsync(admin, new DiscoverySettingsInput { AllowedRanges = [$"{other}.0.0/16"] });

            using var response = await admin.PostAsync($"/api/v1/discovery/scans/{excluded.Id}/run", null, Cancel);
            Assert.Contains($"{subnet}.0.1", await ProblemAsync(response, HttpStatusCode.Forbidden), StringComparison.Ordinal);
            Assert.Empty(await RunsOfAsync(admin, excluded.Id));

            // When both fall due, the refused one queues nothing and does not keep the other from starting.
            _fixture.Time.Advance(TimeSpan.FromHours(1));
            await _server.Services.GetRequiredService<ScanDefinitionService>().StartDueAsync(Cancel);
            Assert.Empty(await RunsOfAsync(admin, excluded.Id));
            Assert.Single(await RunsOfAsync(admin, still.Id));
        }
        finally
        {
            await UpdateSettingsAsync(admin, new DiscoverySettingsInput { AllowedRanges = before.AllowedRanges });
        }
    }

    private static async Task<List<ScanRunDto>> RunsOfAsync(HttpClient admin, long scanId) =>
        (await admin.GetFromJsonAsync<List<ScanRunDto>>($"/api/v1/discovery/runs?scan={scanId}&limit=500", Json, Cancel))!;
}

public sealed class SqliteScanScheduleTests(SqliteDiscoveryServerFixture fixture) : ScanScheduleTests(fixture), IClassFixture<SqliteDiscoveryServerFixture>;

public sealed class PostgreSqlScanScheduleTests(PostgreSqlDiscoveryServerFixture fixture) : ScanScheduleTests(fixture), IClassFixture<PostgreSqlDiscoveryServerFixture>;
