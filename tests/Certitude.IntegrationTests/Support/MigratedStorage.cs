using Certitude.Data;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Support;

/// <summary>
/// A throwaway database of either provider, migrated, with the storage services as the server registers them (context
/// factory, interceptors, group commit) and nothing else: for tests of the data layer itself, without a server.
/// </summary>
internal sealed class MigratedStorage : IAsyncDisposable
{
    private MigratedStorage(TestDatabase database, ServiceProvider services)
    {
        Database = database;
        Services = services;
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    public IDbContextFactory<CertitudeDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>();

    public static async Task<MigratedStorage> CreateAsync(DatabaseProvider provider, CancellationToken cancellationToken)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection().AddLogging().AddCertitudeStorage(database.Storage).BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return new MigratedStorage(database, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
