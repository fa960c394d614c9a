using Certitude.Data;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// One in-process server for the agent tests, tuned so that the lease protocol plays out in seconds: leases of 5 s
/// (the minimum), a server loop every 200 ms, chunks of 8 addresses.
/// </summary>
public sealed class AgentServerFixture : IAsyncLifetime
{
    private CertitudeServer? _server;

    public CertitudeServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await CertitudeServer.StartAsync(DatabaseProvider.Sqlite, builder =>
    {
        builder.Configuration["Discovery:LeaseSeconds"] = "5";
        builder.Configuration["Discovery:PollIntervalMilliseconds"] = "200";
        builder.Configuration["Discovery:AddressesPerChunk"] = "8";
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
