using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;

namespace Certitude.Cli;

/// <summary>
/// The feature services over the local data folder, without a web server: local commands act on the database
/// directly, as the data folder's owner (whoever can read the folder is its administrator anyway).
/// </summary>
internal sealed class LocalServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private LocalServices(ServiceProvider provider) => _provider = provider;

    public IServiceProvider Services => _provider;

    public static async Task<LocalServices> OpenAsync(StorageSettings storage, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("CERTITUDE_").Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter((_, level) => level >= LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddCertitudeStorage(storage);
        services.AddInventory(configuration);
        services.AddAuthority(configuration);
        services.AddDiscovery(configuration);
        services.AddOrganizationCore();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            // A data folder used by the CLI before it ever served still needs its organization to put things in.
            await provider.GetRequiredService<DivisionService>().EnsureRootAsync(cancellationToken);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        return new LocalServices(provider);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
