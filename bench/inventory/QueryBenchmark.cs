using System.Diagnostics;
using Certitude.Data;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.Bench.Inventory;

/// <summary>
/// Latency of typical inventory list queries through <see cref="InventoryService.ListAsync"/> — the code the API, the
/// UI and the CLI run — over the database the import filled: first page (50 rows) each, warm-up runs first.
/// </summary>
internal static class QueryBenchmark
{
    /// <summary>Queries run as an organization administrator: no division filter, the widest (slowest) case.</summary>
    private static readonly AccessScope Everything = AccessScope.Unrestricted(Certitude.Features.Audit.Actor.System);

    private const int WarmUpRuns = 5;
    private const int MinimumRuns = 5;
    private static readonly TimeSpan TimePerQuery = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<QueryDefinition> Definitions { get; } =
    [
        new("expiry order, first page", new CertificateQuery()),
        new("status = Expiring", new CertificateQuery { Status = CertificateStatus.Expiring }),
        new("text 'fabrikam1' (domain prefix)", new CertificateQuery { Text = "fabrikam1" }),
        new("text 'portal17.fabrikam3' (one host)", new CertificateQuery { Text = "portal17.fabrikam3" }),
        new("issuer 'Bench Issuing CA 2', by CN", new CertificateQuery { Issuer = "Bench Issuing CA 2", Sort = CertificateSort.CommonName }),
        new("expiring <= 30 days + key RSA", new CertificateQuery { ExpiringWithinDays = 30, KeyAlgorithm = "RSA" }),
        new("expiry order, keyset page half-way", new CertificateQuery(), DeepPage: true),
    ];

    public static async Task<IReadOnlyList<QueryResult>> RunAsync(StorageSettings storage, int runs, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddCertitudeStorage(storage);
        services.AddInventory(configuration);
        services.AddOrganizationCore();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        var inventory = provider.GetRequiredService<InventoryService>();

        var results = new List<QueryResult>();
        foreach (var definition in Definitions)
        {
            var cursor = definition.DeepPage ? await HalfWayCursorAsync(inventory, definition.Query, cancellationToken) : null;
            var returned = 0;
            var timings = new List<double>(runs);
            var budget = Stopwatch.StartNew();
            // A query far over the target gets fewer runs (at least MinimumRuns), so that one slow plan does not
            // take the whole benchmark's time; the table shows the runs it got.
            for (var run = 0; run < WarmUpRuns + runs && (timings.Count < MinimumRuns || budget.Elapsed < TimePerQuery); run++)
            {
                var stopwatch = Stopwatch.StartNew();
                var page = await inventory.ListAsync(Everything, definition.Query, cursor, InventoryLimits.DefaultPageSize, cancellationToken);
                var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                returned = page.Items.Count;
                if (run >= WarmUpRuns)
                {
                    timings.Add(elapsed);
                }
            }

            timings.Sort();
            results.Add(new QueryResult(definition.Name, returned, timings.Count, Percentile(timings, 0.50), Percentile(timings, 0.95), timings[^1]));
        }

        return results;
    }

    /// <summary>
    /// A cursor about half-way through the expiry order: the one after the first page of valid certificates (those
    /// ending more than the expiring window from now), since validity ends are spread evenly over four years around
    /// today. A cursor holds only the sort key and id of the last row, so it serves the unfiltered list as well, and
    /// is found in one query instead of paging through half a million rows.
    /// </summary>
    private static async Task<string?> HalfWayCursorAsync(InventoryService inventory, CertificateQuery query, CancellationToken cancellationToken) =>
        (await inventory.ListAsync(Everything, query with { Status = CertificateStatus.Valid }, null, InventoryLimits.DefaultPageSize, cancellationToken)).NextCursor;

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
