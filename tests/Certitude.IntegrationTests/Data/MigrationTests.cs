using Certitude.Data;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
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
}
