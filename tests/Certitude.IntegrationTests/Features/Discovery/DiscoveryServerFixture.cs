using Certitude.Data;
using Certitude.Features.Discovery;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// One real server per test class and provider for discovery tests, with the clock in the tests' hands and without the
/// background discovery loop: the tests lease chunks and start due schedules themselves, so nothing scans, leases or
/// starts a run behind their back and every outcome is decided by the calls a test makes.
/// </summary>
public abstract class DiscoveryServerFixture(DatabaseProvider provider) : IAsyncLifetime
{
    /// <summary>Lease length configured for the server: short, so that a test can let a lease run out by moving the clock.</summary>
    public const int LeaseSeconds = 30;

    private CertitudeServer? _server;

    public CertitudeServer Server => _server ?? throw new InvalidOperationException("not started");

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync() => _server = await CertitudeServer.StartAsync(provider, builder =>
    {
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Configuration["Discovery:LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var worker in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DiscoveryWorker)).ToList())
        {
            builder.Services.Remove(worker);
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteDiscoveryServerFixture() : DiscoveryServerFixture(DatabaseProvider.Sqlite);

public sealed class PostgreSqlDiscoveryServerFixture() : DiscoveryServerFixture(DatabaseProvider.PostgreSql);
