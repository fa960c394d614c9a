using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
/// A text search takes one of several plans depending on how many search keys its prefix matches and on the sort
/// (the matching keys in the order they carry, the matching ids then their rows sorted, or walking the sort order).
/// Whichever is taken, the answer — rows, order and pages — must be the same.
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
        await ImportAsync([root, .. leaves]);

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
            var expected = await AllPagesAsync(FromKeys, query);
            Assert.Equal(expected, await AllPagesAsync(FromSortOrder, query));
        }

        Assert.Equal(12, (await AllPagesAsync(FromKeys, queries[0])).Sum(p => p.Count));
        Assert.Equal(6, (await AllPagesAsync(FromKeys, queries[2])).Sum(p => p.Count));
        Assert.Empty((await AllPagesAsync(FromKeys, queries[4])).SelectMany(p => p));
    }

    /// <summary>
    /// In a date or import order the matching keys give the certificates in order, a batch of keys per page; the
    /// batch may end between two keys of one certificate, and when the division filter leaves too few of its
    /// certificates the rest of the page comes from the remaining keys. Forty certificates, a third with two matching
    /// keys, dates shared in pairs (ties broken by id), a sub-division holding one in five of the first 28 in expiry
    /// order and all of the last 12; its pages are read in every size from 1 to 8 so that batches end everywhere.
    /// </summary>
    [Fact]
    public async Task List_InKeyOrder_ReturnsThePagesOfTheSortOrderPlan()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var root = CertificateFactory.CreateRoot($"Order Root {marker}", now.AddDays(-400));
        var leaves = Enumerable.Range(0, 40).Select(i => CertificateFactory.CreateLeaf(root, $"host{i}.{marker}.example",
            i % 3 == 0 ? [$"host{i}.{marker}.example", $"alt{i}.{marker}-b.example"] : null,
            notBefore: now.AddDays(-1 - (i / 2 % 5)),
            notAfter: i < 28 ? now.AddDays(1 + (i / 2)) : now.AddDays(100 + (i / 2)))).ToList();
        var divisions = fixture.Server.Services.GetRequiredService<DivisionService>();
        var rootDivision = (await fixture.Server.Services.GetRequiredService<CertificateImporter>().ResolveTargetAsync(Everything, null, Cancel)).DivisionId;
        var late = await divisions.CreateAsync(Everything, new DivisionInput { ParentId = rootDivision, Name = $"Late {marker}" }, Cancel);
        static bool InLate(int i) => i >= 28 || i % 5 == 1;
        await ImportAsync([root, .. leaves.Where((_, i) => !InLate(i))]);
        await ImportAsync(leaves.Where((_, i) => InLate(i)), late.Id);

        List<CertificateQuery> queries = [];
        foreach (var sort in new[] { CertificateSort.NotAfter, CertificateSort.NotBefore, CertificateSort.Imported, CertificateSort.CommonName })
        {
            queries.Add(new() { Text = marker, Sort = sort });
            queries.Add(new() { Text = marker, Sort = sort, Descending = true });
        }

        queries.Add(new() { Text = marker, DivisionId = rootDivision, Descending = true });
        queries.Add(new() { Text = marker, Status = CertificateStatus.Valid });
        queries.Add(new() { Text = $"alt3.{marker}" });
        foreach (var query in queries)
        {
            var expected = await AllPagesAsync(FromSortOrder, query);
            Assert.Equal(expected, await AllPagesAsync(FromKeys, query));
        }

        CertificateQuery[] inLate =
        [
            new() { Text = marker, DivisionId = late.Id },
            new() { Text = marker, DivisionId = late.Id, Descending = true },
            new() { Text = marker, DivisionId = late.Id, Sort = CertificateSort.NotBefore },
            new() { Text = marker, DivisionId = late.Id, Sort = CertificateSort.Imported, Descending = true },
        ];
        foreach (var query in inLate)
        {
            for (var size = 1; size <= 8; size++)
            {
                var expected = await AllPagesAsync(FromSortOrder, query, size);
                Assert.Equal(expected, await AllPagesAsync(FromKeys, query, size));
            }
        }

        Assert.Equal(40, (await AllPagesAsync(FromKeys, queries[0])).Sum(p => p.Count));
        Assert.Equal(18, (await AllPagesAsync(FromKeys, inLate[0])).Sum(p => p.Count));
        Assert.Equal(1, (await AllPagesAsync(FromKeys, new() { Text = $"alt3.{marker}" })).Sum(p => p.Count));
    }

    /// <summary>The key-order plan trusts the dates the search keys carry: every writer must copy the certificate's.</summary>
    [Fact]
    public async Task SearchKeys_OfImportedAndRecordedCertificates_CarryTheirCertificatesDates()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var imported = CertificateFactory.CreateLeaf(null, $"imported.{marker}.example", notBefore: now.AddDays(-3), notAfter: now.AddDays(45));
        var recorded = CertificateFactory.CreateLeaf(null, $"recorded.{marker}.example", notBefore: now.AddDays(-2), notAfter: now.AddDays(46));
        await ImportAsync([imported]);
        var contexts = fixture.Server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>();
        await using (var db = contexts.CreateDbContext())
        {
            var division = await db.Divisions.Select(d => d.Id).FirstAsync(Cancel);
            await InventoryRecorder.RecordAsync(db, recorded.RawData, division, null,
                new RecordedSource(CertificateSourceKinds.File, "/recorded.pem", "test"), null, now, Cancel);
        }

        await using (var db = contexts.CreateDbContext())
        {
            var fingerprints = new[] { imported, recorded }.Select(c => Convert.ToHexStringLower(c.GetCertHash(HashAlgorithmName.SHA256))).ToList();
            var keys = await (from k in db.CertificateSearchKeys
                              join c in db.Certificates on k.CertificateId equals c.Id
                              where fingerprints.Contains(c.Sha256Fingerprint)
                              select new { c.Id, k.NotAfter, k.NotBefore, CertificateNotAfter = c.NotAfter, CertificateNotBefore = c.NotBefore })
                .ToListAsync(Cancel);
            Assert.Equal(2, keys.Select(k => k.Id).Distinct().Count());
            Assert.All(keys, k => Assert.Equal((k.CertificateNotAfter, k.CertificateNotBefore), (k.NotAfter, k.NotBefore)));
        }
    }

    private InventoryService FromKeys => ServiceWithThreshold(1_000_000);

    private InventoryService FromSortOrder => ServiceWithThreshold(0);

    private async Task ImportAsync(IEnumerable<X509Certificate2> certificates, long? divisionId = null)
    {
        var importer = fixture.Server.Services.GetRequiredService<CertificateImporter>();
        var target = await importer.ResolveTargetAsync(Everything, divisionId, Cancel);
        var pem = Encoding.ASCII.GetBytes(CertificateFactory.ToPem([.. certificates]));
        var (summary, _) = await importer.ImportAsync([new ImportFile("plan.pem", CertificateSourceKinds.File, "/import/plan.pem", pem)], null, target, Cancel);
        Assert.Equal(0, summary.FailedFiles);
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

    /// <summary>Every page (of five by default), as lists of ids, so that paging through the cursor is compared too.</summary>
    private static async Task<List<List<long>>> AllPagesAsync(InventoryService inventory, CertificateQuery query, int pageSize = 5)
    {
        var pages = new List<List<long>>();
        string? cursor = null;
        do
        {
            var page = await inventory.ListAsync(Everything, query, cursor, pageSize, Cancel);
            pages.Add(page.Items.Select(i => i.Id).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return pages;
    }
}

public sealed class SqliteTextSearchPlanTests(SqliteServerFixture fixture) : TextSearchPlanTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlTextSearchPlanTests(PostgreSqlServerFixture fixture) : TextSearchPlanTests(fixture), IClassFixture<PostgreSqlServerFixture>;
