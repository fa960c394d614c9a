using Certitude.Data;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.Pki;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certitude.IntegrationTests.Data;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigrationAndIsIdempotent(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection().AddLogging().AddCertitudeStorage(database.Storage).BuildServiceProvider();
        await using (services)
        {
            var migrator = new DatabaseMigrator(database.Storage, services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>(), NullLogger<DatabaseMigrator>.Instance);
            await migrator.MigrateAsync(TestContext.Current.CancellationToken);
            await migrator.MigrateAsync(TestContext.Current.CancellationToken);

            await using var db = services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.Certificates.CountAsync(TestContext.Current.CancellationToken));
            Assert.False(db.Database.HasPendingModelChanges());
        }
    }

    /// <summary>SearchKeyDates copies the keys with their certificate's dates (its SQL is hand-written per provider).</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Migrate_SearchKeysWrittenBeforeSearchKeyDates_GetTheirCertificatesDates(DatabaseProvider provider)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection().AddLogging().AddCertitudeStorage(database.Storage).BuildServiceProvider();
        await using (services)
        {
            await using var db = services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext();
            var migrations = db.Database.GetMigrations().ToList();
            var searchKeyDates = migrations.FindIndex(m => m.EndsWith("_SearchKeyDates", StringComparison.Ordinal));
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[searchKeyDates - 1], cancel);

            // The tables other than the search keys are as the model has them, so EF writes those rows; the division
            // with prepared SQL, because EF's SaveChanges would also move the access stamp, whose table comes later.
            var division = new Division { Name = "Migration", CreatedAt = DateTimeOffset.UtcNow };
            await using (var transaction = await db.Database.BeginTransactionAsync(cancel))
            {
                division.Id = await RowWriter.For(db).InsertAsync(division, cancel);
                await transaction.CommitAsync(cancel);
            }
            var now = DateTimeOffset.UtcNow;
            var certificates = new[] { (-10, 20), (-5, 400) }.Select(days => CertificateImporter.ToEntity(CertificateReader.ReadFacts(
                CertificateFactory.CreateLeaf(null, $"migrated{days.Item2}.example", notBefore: now.AddDays(days.Item1), notAfter: now.AddDays(days.Item2)).RawData)))
                .ToList();
            var keys = certificates.ToDictionary(c => c, c => c.SearchKeys.Select(k => k.Key).ToList());
            foreach (var certificate in certificates)
            {
                certificate.SearchKeys = [];
                certificate.DivisionId = division.Id;
                db.Certificates.Add(certificate);
            }

            await db.SaveChangesAsync(cancel);
            foreach (var (certificate, names) in keys)
            {
                foreach (var name in names)
                {
                    await db.Database.ExecuteSqlAsync($"INSERT INTO certificate_search_keys (\"CertificateId\", \"Key\") VALUES ({certificate.Id}, {name})", cancel);
                }
            }

            await migrator.MigrateAsync(cancellationToken: cancel);

            db.ChangeTracker.Clear();
            var migrated = await db.CertificateSearchKeys.AsNoTracking().ToListAsync(cancel);
            Assert.Equal(keys.Values.Sum(k => k.Count), migrated.Count);
            foreach (var certificate in certificates)
            {
                var own = migrated.Where(k => k.CertificateId == certificate.Id).ToList();
                Assert.Equal(keys[certificate].Order(StringComparer.Ordinal), own.Select(k => k.Key).Order(StringComparer.Ordinal));
                Assert.All(own, k => Assert.Equal((certificate.NotAfter, certificate.NotBefore), (k.NotAfter, k.NotBefore)));
            }
        }
    }
}
