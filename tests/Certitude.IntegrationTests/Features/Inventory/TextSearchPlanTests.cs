using System.Text;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Certitude.IntegrationTests.Features.Inventory;

/// <summary>
/// A text search takes one of two plans depending on how many search keys its prefix matches (from the key index,
/// or walking the sort order). Whichever is taken, the answer — rows, order and pages — must be the same.
/// </summary>
public abstract class TextSearchPlanTests(ServerFixture fixture)
{
    private static readonly AccessScope Everything = AccessScope.Unrestricted(Actor.System);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_KeyIndexPlanAndSortOrderPlan_ReturnTheSamePages()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var root = CertificateFactory.CreateRoot($"Plan Root {marker}", now.AddDays(-400));
        var leaves = Enumerable.Range(0, 12).Select(i => CertificateFactory.CreateLeaf(root, $"host{i}.{marker}.example",
            notBefore: now.AddDays(-30), notAfter: now.AddDays(i % 2 == 0 ? 10 + i : 100 + i))).ToList();
        var importer = fixture.Server.Services.GetRequiredService<CertificateImporter>();
        var target = await importer.ResolveTargetAsync(Everything, null, Cancel);
        var pem = Encoding.ASCII.GetBytes(CertificateFactory.ToPem([root, .. leaves]));
        var (summary, _) = await importer.ImportAsync([new ImportFile("plan.pem", CertificateSourceKinds.File, "/import/plan.pem", pem)], null, target, Cancel);
        Assert.Equal(0, summary.FailedFiles);

        var fromKeys = ServiceWithThreshold(1_000_000);
        var fromSortOrder = ServiceWithThreshold(0);
        CertificateQuery[] queries =
        [
            new() { Text = marker },
            new() { Text = $"host1.{marker}" },
            new() { Text = $"{marker}.example", Status = CertificateStatus.Expiring },
            new() { Text = $"{marker}.example", Sort = CertificateSort.CommonName, Descending = true },
            new() { Text = "no-such-host-" + marker },
        ];
        foreach (var query in queries)
        {
            var expected = await AllPagesAsync(fromKeys, query);
            Assert.Equal(expected, await AllPagesAsync(fromSortOrder, query));
        }

        Assert.Equal(12, (await AllPagesAsync(fromKeys, queries[0])).Sum(p => p.Count));
        Assert.Equal(6, (await AllPagesAsync(fromKeys, queries[2])).Sum(p => p.Count));
        Assert.Empty((await AllPagesAsync(fromKeys, queries[4])).SelectMany(p => p));
    }

    private InventoryService ServiceWithThreshold(int threshold)
    {
        var services = fixture.Server.Services;
        var options = services.GetRequiredService<IOptions<InventoryOptions>>().Value;
        return new InventoryService(
            services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>(),
            Options.Create(new InventoryOptions { ExpiringWindowDays = options.ExpiringWindowDays, TextSearchKeyIndexThreshold = threshold }),
            services.GetRequiredService<AuditLog>(),
            TimeProvider.System);
    }

    /// <summary>Every page of five, as lists of ids, so that paging through the cursor is compared too.</summary>
    private static async Task<List<List<long>>> AllPagesAsync(InventoryService inventory, CertificateQuery query)
    {
        var pages = new List<List<long>>();
        string? cursor = null;
        do
        {
            var page = await inventory.ListAsync(Everything, query, cursor, 5, Cancel);
            pages.Add(page.Items.Select(i => i.Id).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return pages;
    }
}

public sealed class SqliteTextSearchPlanTests(SqliteServerFixture fixture) : TextSearchPlanTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlTextSearchPlanTests(PostgreSqlServerFixture fixture) : TextSearchPlanTests(fixture), IClassFixture<PostgreSqlServerFixture>;
