using Certitude.Data;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests;

/// <summary>One real server per test class and provider. Tests sharing it use names of their own.</summary>
public abstract class ServerFixture(DatabaseProvider provider) : IAsyncLifetime
{
    private CertitudeServer? _server;

    public CertitudeServer Server => _server ?? throw new InvalidOperationException("not started");

    public DatabaseProvider Provider { get; } = provider;

    public async ValueTask InitializeAsync() => _server = await CertitudeServer.StartAsync(Provider);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteServerFixture() : ServerFixture(DatabaseProvider.Sqlite);

public sealed class PostgreSqlServerFixture() : ServerFixture(DatabaseProvider.PostgreSql);
