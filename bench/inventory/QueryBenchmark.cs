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

    public static IReadOnlyList<QueryDefinition> Definitions { get; } =
    [
        new("expiry order, first page", new CertificateQuery()),
        new("status = Expiring", new CertificateQuery { Status = CertificateStatus.Expiring }),
        new("text 'fabrikam1' (domain prefix)", new CertificateQuery { Text = "fabrikam1" }),
        new("text 'portal17.fabrikam3' (one host)", new CertificateQuery { Text = "portal17.fabrikam3" }),
        new("issuer 'Bench Issuing CA 2', by CN", new CertificateQuery { Issuer = "Bench Issuing CA 2", Sort = CertificateSort.CommonName }),
        new("expiring <= 30 days + key RSA", new CertificateQuery { ExpiringWithinDays = 30, KeyAlgorithm = "RSA" }),
        new("expiry order, keyset page at row N/2", new CertificateQuery(), DeepPage: true),
    ];

    public static async Task<IReadOnlyList<QueryResult>> RunAsync(StorageSettings storage, long rows, int runs, CancellationToken cancellationToken)
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
            var cursor = definition.DeepPage ? await CursorAtAsync(inventory, definition.Query, rows / 2, cancellationToken) : null;
            var returned = 0;
            var timings = new List<double>(runs);
            for (var run = 0; run < WarmUpRuns + runs; run++)
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
            results.Add(new QueryResult(definition.Name, returned, Percentile(timings, 0.50), Percentile(timings, 0.95), timings[^1]));
        }

        return results;
    }

    /// <summary>The cursor of the page that starts after <paramref name="row"/> rows, found by paging there.</summary>
    private static async Task<string?> CursorAtAsync(InventoryService inventory, CertificateQuery query, long row, CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (long seen = 0; seen < row;)
        {
            var page = await inventory.ListAsync(Everything, query, cursor, (int)Math.Min(InventoryLimits.MaxPageSize, row - seen), cancellationToken);
            seen += page.Items.Count;
            cursor = page.NextCursor;
            if (cursor is null)
            {
                break;
            }
        }

        return cursor;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
