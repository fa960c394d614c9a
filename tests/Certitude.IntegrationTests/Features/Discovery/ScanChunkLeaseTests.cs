using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certitude.Features.Discovery;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryTestApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// Chunks of a run leased by scanners: results sent twice record once, a lease that runs out goes to another holder,
/// and the old holder's late results and completion change nothing. Through <see cref="ScanRunService"/> directly and
/// through the agent protocol over HTTP with a registered agent.
/// </summary>
public abstract class ScanChunkLeaseTests(DiscoveryServerFixture fixture)
{
    private readonly CertitudeServer _server = fixture.Server;
    private readonly DiscoveryServerFixture _fixture = fixture;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ScanRunService Runs => _server.Services.GetRequiredService<ScanRunService>();

    [Fact]
    public async Task SubmitResults_SameBatchTwice_RunSummaryCountsEachEndpointOnce()
    {
        using var admin = _server.CreateClient();
        var (subnet, zone, run) = await QueueRunAsync(admin);
        var lease = await Runs.LeaseAsync(zone, "holder-a", Cancel);
        Assert.NotNull(lease);
        Assert.Equal(run.Id, lease.RunId);
        var results = ResultsFor(subnet);

        Assert.True((await Runs.SubmitResultsAsync(lease.ChunkId, lease.LeaseToken, results, Cancel)).Held);
        Assert.True((await Runs.SubmitResultsAsync(lease.ChunkId, lease.LeaseToken, results, Cancel)).Held);
        Assert.True((await Runs.CompleteChunkAsync(lease.ChunkId, lease.LeaseToken, results.Length, Cancel)).Held);

        var done = await GetRunAsync(admin, run.Id);
        Assert.Equal(ScanRunState.Completed, done.State);
        Assert.Equal((1, 3, 3, 3, 3), (done.ChunksDone, done.EndpointsFound, done.Certificates, done.NewEndpoints, done.ProbedEndpoints));
        Assert.Equal(3, (await ChangesAsync(admin, run.Id)).Count);
        Assert.Equal(3, (await EndpointsAsync(admin, $"q={subnet}.")).Count);
        // The chunk is done: completing it again is refused and counts nothing twice.
        Assert.False((await Runs.CompleteChunkAsync(lease.ChunkId, lease.LeaseToken, results.Length, Cancel)).Held);
        Assert.Equal(3, (await GetRunAsync(admin, run.Id)).EndpointsFound);
    }

    [Fact]
    public async Task Lease_ExpiredAndTakenOver_OldHolderResultsAndCompletionChangeNothing()
    {
        using var admin = _server.CreateClient();
        var (subnet, zone, run) = await QueueRunAsync(admin);
        var first = await Runs.LeaseAsync(zone, "holder-a", Cancel);
        Assert.NotNull(first);
        Assert.Null(await Runs.LeaseAsync(zone, "holder-b", Cancel));

        _fixture.Time.Advance(TimeSpan.FromSeconds(DiscoveryServerFixture.LeaseSeconds + 1));
        var second = await Runs.LeaseAsync(zone, "holder-b", Cancel);

        Assert.NotNull(second);
        Assert.Equal(first.ChunkId, second.ChunkId);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        var results = ResultsFor(subnet);
        Assert.False((await Runs.SubmitResultsAsync(first.ChunkId, first.LeaseToken, results, Cancel)).Held);
        Assert.False((await Runs.RenewAsync(first.ChunkId, first.LeaseToken, Cancel)).Held);
        Assert.False((await Runs.CompleteChunkAsync(first.ChunkId, first.LeaseToken, results.Length, Cancel)).Held);
        Assert.Empty(await EndpointsAsync(admin, $"q={subnet}."));
        Assert.Equal(ScanRunState.Running, (await GetRunAsync(admin, run.Id)).State);

        Assert.True((await Runs.SubmitResultsAsync(second.ChunkId, second.LeaseToken, results[..2], Cancel)).Held);
        Assert.True((await Runs.CompleteChunkAsync(second.ChunkId, second.LeaseToken, 3, Cancel)).Held);
        var done = await GetRunAsync(admin, run.Id);
        Assert.Equal((ScanRunState.Completed, 2, 2), (done.State, done.EndpointsFound, done.NewEndpoints));
    }

    [Fact]
    public async Task AgentProtocol_RegisteredAgent_LeasesItsZoneSubmitsTwiceAndCompletes()
    {
        using var admin = _server.CreateClient();
        var (subnet, zone, run) = await QueueRunAsync(admin);
        using var agent = await RegisterAgentAsync(admin, zone);
        using var otherZoneAgent = await RegisterAgentAsync(admin, $"{zone}-other");

        Assert.Equal(HttpStatusCode.NoContent, (await otherZoneAgent.PostAsync("/api/v1/agent/lease", null, Cancel)).StatusCode);
        using var leased = await agent.PostAsync("/api/v1/agent/lease", null, Cancel);
        var lease = await ReadAsync<ChunkLeaseDto>(leased, HttpStatusCode.OK);
        Assert.Equal(run.Id, lease.RunId);
        var results = ResultsFor(subnet);
        for (var i = 0; i < 2; i++)
        {
            using var sent = await agent.PostAsJsonAsync($"/api/v1/agent/chunks/{lease.ChunkId}/results", new ChunkResultsInput(lease.LeaseToken, results), Json, Cancel);
            Assert.True((await ReadAsync<LeaseStatusDto>(sent, HttpStatusCode.OK)).Held);
        }

        using var completed = await agent.PostAsJsonAsync($"/api/v1/agent/chunks/{lease.ChunkId}/complete", new ChunkCompletionInput(lease.LeaseToken, 3), Json, Cancel);
        Assert.True((await ReadAsync<LeaseStatusDto>(completed, HttpStatusCode.OK)).Held);
        var done = await GetRunAsync(admin, run.Id);
        Assert.Equal((ScanRunState.Completed, 3, 3), (done.State, done.EndpointsFound, done.NewEndpoints));
        var agents = await admin.GetFromJsonAsync<List<AgentDto>>("/api/v1/discovery/agents", Json, Cancel);
        Assert.Contains(agents!, a => a.Zone == zone && a.Version == "test-1.0");
    }

    [Fact]
    public async Task AgentProtocol_WithoutValidAgentCredential_Returns401Problem()
    {
        using var admin = _server.CreateClient();
        var zone = $"z-{Guid.NewGuid():N}"[..20];
        using var agent = await RegisterAgentAsync(admin, zone);
        var credential = agent.DefaultRequestHeaders.Authorization!.Parameter!;
        var agentId = long.Parse(credential["cta_".Length..credential.IndexOf('_', "cta_".Length)], System.Globalization.CultureInfo.InvariantCulture);

        using var anonymous = _server.CreateAnonymousClient();
        await ProblemAsync(await anonymous.PostAsync("/api/v1/agent/lease", null, Cancel), HttpStatusCode.Unauthorized);
        // A user's API key is not an agent credential, and a forged secret for a real agent is refused.
        await ProblemAsync(await admin.PostAsync("/api/v1/agent/lease", null, Cancel), HttpStatusCode.Unauthorized);
        using var forged = _server.CreateClient($"cta_{agentId}_forged");
        await ProblemAsync(await forged.PostAsync("/api/v1/agent/lease", null, Cancel), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/agent/register", new AgentRegistrationInput("cte_wrong", "x", zone, "1"), Json, Cancel),
            HttpStatusCode.Unauthorized);

        // A disabled agent is shut out until enabled again.
        (await admin.PostAsync($"/api/v1/discovery/agents/{agentId}/disable", null, Cancel)).EnsureSuccessStatusCode();
        await ProblemAsync(await agent.PostAsync("/api/v1/agent/lease", null, Cancel), HttpStatusCode.Unauthorized);
        (await admin.PostAsync($"/api/v1/discovery/agents/{agentId}/enable", null, Cancel)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await agent.PostAsync("/api/v1/agent/lease", null, Cancel)).StatusCode);

        // A revoked enrollment token registers nobody.
        using var created = await admin.PostAsJsonAsync("/api/v1/discovery/agent-tokens", new EnrollmentTokenInput { Zone = zone }, Json, Cancel);
        var token = await ReadAsync<CreatedEnrollmentTokenDto>(created, HttpStatusCode.Created);
        (await admin.PostAsync($"/api/v1/discovery/agent-tokens/{token.Token.Id}/revoke", null, Cancel)).EnsureSuccessStatusCode();
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/agent/register", new AgentRegistrationInput(token.Secret, "x", zone, "1"), Json, Cancel),
            HttpStatusCode.Unauthorized);
    }

    /// <summary>A saved scan of three addresses on port 443 in a zone of its own (so only this test's scanners lease it), run now.</summary>
    private static async Task<(string Subnet, string Zone, ScanRunDto Run)> QueueRunAsync(HttpClient admin)
    {
        var subnet = NewSubnet();
        var zone = $"lease-{subnet.Replace('.', '-')}";
        var scan = await CreateScanAsync(admin, new { name = $"lease {subnet}", targets = new[] { $"{subnet}.0.1-{subnet}.0.3" }, ports = "443", zone });
        using var response = await admin.PostAsync($"/api/v1/discovery/scans/{scan.Id}/run", null, Cancel);
        var run = await ReadAsync<ScanRunDto>(response, HttpStatusCode.Accepted);
        Assert.Equal((ScanRunState.Queued, 1, zone), (run.State, run.ChunkCount, run.Zone));
        return (subnet, zone, run);
    }

    private static ScanResultDto[] ResultsFor(string subnet) =>
        [.. Enumerable.Range(1, 3).Select(i => Result($"{subnet}.0.{i}", 443, CertificateFactory.CreateLeaf(null, $"host{i}.{subnet}.example")))];

    private static async Task<ScanRunDto> GetRunAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<ScanRunDto>($"/api/v1/discovery/runs/{id}", Json, Cancel))!;

    private async Task<HttpClient> RegisterAgentAsync(HttpClient admin, string zone)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/discovery/agent-tokens", new EnrollmentTokenInput { Zone = zone }, Json, Cancel);
        var token = await ReadAsync<CreatedEnrollmentTokenDto>(created, HttpStatusCode.Created);
        using var anonymous = _server.CreateAnonymousClient();
        using var registered = await anonymous.PostAsJsonAsync("/api/v1/agent/register", new AgentRegistrationInput(token.Secret, "test agent", zone, "test-1.0"), Json, Cancel);
        var registration = await ReadAsync<AgentRegistrationDto>(registered, HttpStatusCode.OK);
        var client = _server.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registration.Credential);
        client.DefaultRequestHeaders.Add(AgentProtocolEndpoints.VersionHeader, "test-1.0");
        return client;
    }
}

public sealed class SqliteScanChunkLeaseTests(SqliteDiscoveryServerFixture fixture) : ScanChunkLeaseTests(fixture), IClassFixture<SqliteDiscoveryServerFixture>;

public sealed class PostgreSqlScanChunkLeaseTests(PostgreSqlDiscoveryServerFixture fixture) : ScanChunkLeaseTests(fixture), IClassFixture<PostgreSqlDiscoveryServerFixture>;
