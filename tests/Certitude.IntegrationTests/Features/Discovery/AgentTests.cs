using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Certitude.Features.Discovery;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// <c>certitude agent</c> as a real process against the in-process server over http on 127.0.0.1: enrollment and the
/// state file, refused tokens, zones (the server never scans another zone's work), and the issue's "done when" for
/// agents: an agent killed mid-chunk, its chunk finished by another agent with nothing recorded twice.
/// </summary>
public sealed class AgentTests(AgentServerFixture fixture) : IClassFixture<AgentServerFixture>, IDisposable
{
    private readonly CertitudeServer _server = fixture.Server;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-agent-").FullName;

    private string Url => _server.BaseAddress.ToString();

    [Fact]
    public async Task Agent_EnrollmentToken_RegistersOnceAndShowsZoneVersionAndLastContact()
    {
        using var admin = _server.CreateClient();
        var token = await CreateTokenAsync(admin, "lab");
        var state = Path.Combine(_work, "lab", "agent.json");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var first = await CliRunner.RunAsync(["agent", "--server", Url, "--token", token.Secret, "--zone", "LAB", "--name", "lab-one", "--state", state, "--once"]);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("Registered as agent", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("No work left.", first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", first.Stderr, StringComparison.Ordinal);
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(state, Cancel)).RootElement;
        var credential = saved.GetProperty("credential").GetString()!;
        var agentId = saved.GetProperty("agentId").GetInt64();
        Assert.StartsWith($"cta_{agentId}_", credential, StringComparison.Ordinal);
        Assert.Equal("lab", saved.GetProperty("zone").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(state));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(state)!, "*.tmp"));
        Assert.DoesNotContain(token.Secret, first.Stderr + first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(credential, first.Stderr + first.Stdout, StringComparison.Ordinal);

        var agent = Assert.Single(await GetAsync<List<AgentDto>>(admin, "/api/v1/discovery/agents"), a => a.Id == agentId);
        Assert.Equal(("lab-one", "lab", false), (agent.Name, agent.Zone, agent.Disabled));
        var version = typeof(AgentService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(version, agent.Version);
        Assert.InRange(agent.LastContactAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("127.0.0.1", agent.LastAddress);

        // A second start reuses the state file: no token, no new agent, a newer last contact.
        var second = await CliRunner.RunAsync(["agent", "--state", state, "--once"]);

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains($"Agent {agentId} of zone 'lab'", second.Stderr, StringComparison.Ordinal);
        var agents = await GetAsync<List<AgentDto>>(admin, "/api/v1/discovery/agents");
        Assert.Single(agents, a => a.Zone == "lab");
        Assert.True(agents.Single(a => a.Id == agentId).LastContactAt > agent.LastContactAt);

        // The state file belongs to one zone.
        var otherZone = await CliRunner.RunAsync(["agent", "--state", state, "--zone", "dmz", "--once"]);
        Assert.Equal(2, otherZone.ExitCode);
        Assert.Contains("zone 'lab', not 'dmz'", otherZone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_InvalidExpiredOrRevokedToken_ExitsNonZeroWithAClearErrorAndNoState()
    {
        using var admin = _server.CreateClient();
        var revoked = await CreateTokenAsync(admin, "refused");
        using (var response = await admin.PostAsync($"/api/v1/discovery/agent-tokens/{revoked.Token.Id}/revoke", null, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var expired = await CreateTokenAsync(admin, "refused");
        await using (var db = Database(_server))
        {
            await db.AgentEnrollmentTokens.Where(t => t.Id == expired.Token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Cancel);
        }

        var agentsBefore = (await GetAsync<List<AgentDto>>(admin, "/api/v1/discovery/agents")).Count;
        foreach (var secret in new[] { "cte_not-a-real-token", revoked.Secret, expired.Secret })
        {
            var state = Path.Combine(_work, $"refused-{Guid.NewGuid():N}.json");

            var result = await CliRunner.RunAsync(["agent", "--server", Url, "--token", secret, "--zone", "refused", "--state", state, "--once"]);

            Assert.Equal(4, result.ExitCode);
            Assert.Contains("refused the enrollment token: it is invalid, expired or revoked", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(state));
        }

        // A valid token for another zone is refused by name; nothing registers.
        var valid = await CreateTokenAsync(admin, "refused");
        var wrongZone = await CliRunner.RunAsync(["agent", "--server", Url, "--token", valid.Secret, "--zone", "elsewhere", "--state",
            Path.Combine(_work, "wrong-zone.json"), "--once"]);
        Assert.Equal(2, wrongZone.ExitCode);
        Assert.Contains("zone 'refused', not 'elsewhere'", wrongZone.Stderr, StringComparison.Ordinal);

        // Missing registration input is a usage error before anything is sent.
        var missing = await CliRunner.RunAsync(["agent", "--state", Path.Combine(_work, "none.json"), "--once"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--server", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("--token", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("--zone", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(agentsBefore, (await GetAsync<List<AgentDto>>(admin, "/api/v1/discovery/agents")).Count);
    }

    [Fact]
    public async Task Agent_PlainHttpToANonLoopbackAddress_WarnsToUseHttps()
    {
        // Linux delivers a connection to 0.0.0.0 to the loopback interface: an address that is not a loopback address
        // by its name, reaching the test server without a packet leaving the machine.
        var url = $"http://0.0.0.0:{_server.BaseAddress.Port}/";
        var plain = await CliRunner.RunAsync(["agent", "--server", url, "--token", "cte_unknown", "--zone", "z", "--state", Path.Combine(_work, "warn.json"), "--once"]);
        var loopback = await CliRunner.RunAsync(["agent", "--server", Url, "--token", "cte_unknown", "--zone", "z", "--state", Path.Combine(_work, "warn.json"), "--once"]);

        Assert.Equal(4, plain.ExitCode);
        Assert.Contains("warning: http://0.0.0.0", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains("Use https", plain.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, loopback.ExitCode);
        Assert.DoesNotContain("warning", loopback.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZonedScan_IsNeverScannedByTheServer_ButByAnAgentOfTheZone()
    {
        using var admin = _server.CreateClient();
        using var leaf = CertificateFactory.CreateLeaf(null, "dmz.example.test");
        await using var site = LoopbackListener.Tls(new IPEndPoint(IPAddress.Parse("127.0.4.1"), 0), leaf);
        var port = site.EndPoint.Port.ToString(CultureInfo.InvariantCulture);

        // The server's own scanner works: a run without a zone completes by itself.
        var open = await CreateScanAsync(admin, "zoneless", ["127.0.4.1"], port, null);
        var openRun = await RunNowAsync(admin, open.Id);
        await WaitForRunAsync(admin, openRun.Id, TimeSpan.FromSeconds(60));
        Assert.Equal("server", (await ChunksAsync(openRun.Id)).Single().LeaseHolder?.Split(':')[0]);

        var dmz = await CreateScanAsync(admin, "dmz only", ["127.0.4.1"], port, "dmz");
        var run = await RunNowAsync(admin, dmz.Id);
        Assert.Equal("dmz", run.Zone);

        // Twenty-five turns of the server's 200 ms loop later, the run has not been touched.
        await Task.Delay(TimeSpan.FromSeconds(5), Cancel);
        Assert.Equal(ScanRunState.Queued, (await GetAsync<ScanRunDto>(admin, $"/api/v1/discovery/runs/{run.Id}")).State);
        var waiting = Assert.Single(await ChunksAsync(run.Id));
        Assert.Equal((ScanChunkState.Pending, 0, null), (waiting.State, waiting.Attempts, waiting.LeaseHolder));

        var token = await CreateTokenAsync(admin, "dmz");
        var state = Path.Combine(_work, "dmz.json");
        var result = await CliRunner.RunAsync(["agent", "--server", Url, "--token", token.Secret, "--zone", "dmz", "--state", state, "--once",
            "--handshake-timeout", "3000"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var agentId = JsonDocument.Parse(await File.ReadAllTextAsync(state, Cancel)).RootElement.GetProperty("agentId").GetInt64();
        Assert.Contains($"chunk {waiting.Id} of run {run.Id}: 1 endpoints probed, 1 results sent", result.Stderr, StringComparison.Ordinal);
        var done = await GetAsync<ScanRunDto>(admin, $"/api/v1/discovery/runs/{run.Id}");
        Assert.Equal((ScanRunState.Completed, 1, 1, 1), (done.State, done.ChunksDone, done.EndpointsFound, done.Certificates));
        var chunk = Assert.Single(await ChunksAsync(run.Id));
        Assert.Equal((ScanChunkState.Done, 1, $"agent:{agentId}"), (chunk.State, chunk.Attempts, chunk.LeaseHolder));
        var endpoints = await GetAsync<EndpointPage>(admin, $"/api/v1/discovery/endpoints?run={run.Id}");
        var endpoint = Assert.Single(endpoints.Items);
        Assert.Equal(("127.0.4.1", site.EndPoint.Port, "CN=dmz.example.test"), (endpoint.Address, endpoint.Port, endpoint.Subject));
    }

    [Fact]
    public async Task AgentKilledMidChunk_ChunkCompletesOnAnotherAgent_NothingRecordedTwice()
    {
        using var admin = _server.CreateClient();

        // 127.0.5.0/28 in two chunks of 8. First chunk: three TLS servers the agent reads at once, then four silent ones
        // that each hold a probe for the 2.5 s handshake timeout twice (one retry) — about 10 s with two connections
        // in flight. Second chunk: one TLS server and one silent one. The other addresses refuse connections.
        var port = NginxServer.FreeLoopbackPort();
        using var leafA = CertificateFactory.CreateLeaf(null, "a.kill.test");
        using var leafB = CertificateFactory.CreateLeaf(null, "b.kill.test");
        var listeners = new List<LoopbackListener>();
        try
        {
            foreach (var (last, certificate) in new (int, System.Security.Cryptography.X509Certificates.X509Certificate2?)[]
                     {
                         (1, leafA), (2, leafB), (3, leafA), (4, null), (5, null), (6, null), (7, null), (9, leafB), (10, null),
                     })
            {
                var endpoint = new IPEndPoint(IPAddress.Parse($"127.0.5.{last}"), port);
                listeners.Add(certificate is null ? LoopbackListener.Silent(endpoint) : LoopbackListener.Tls(endpoint, certificate));
            }

            var token = await CreateTokenAsync(admin, "z2");
            var stateA = Path.Combine(_work, "a.json");
            var stateB = Path.Combine(_work, "b.json");
            foreach (var (state, name) in new[] { (stateA, "agent-a"), (stateB, "agent-b") })
            {
                var registered = await CliRunner.RunAsync(["agent", "--server", Url, "--token", token.Secret, "--zone", "z2", "--name", name, "--state", state, "--once"]);
                Assert.True(registered.ExitCode == 0, registered.Stderr);
            }

            var idA = JsonDocument.Parse(await File.ReadAllTextAsync(stateA, Cancel)).RootElement.GetProperty("agentId").GetInt64();
            var idB = JsonDocument.Parse(await File.ReadAllTextAsync(stateB, Cancel)).RootElement.GetProperty("agentId").GetInt64();
            string[] scanning = ["--concurrency", "2", "--connect-timeout", "1000", "--handshake-timeout", "2500", "--poll-seconds", "1"];

            var definition = await CreateScanAsync(admin, "kill test", ["127.0.5.0/28"], port.ToString(CultureInfo.InvariantCulture), "z2");
            var run = await RunNowAsync(admin, definition.Id);
            Assert.Equal(2, run.ChunkCount);
            var first = (await ChunksAsync(run.Id)).OrderBy(c => c.Sequence).First();

            await using var agentA = AgentProcess.Start(["--state", stateA, .. scanning]);
            await WaitForAsync(async () =>
            {
                await using var db = Database(_server);
                var chunk = await db.ScanChunks.AsNoTracking().SingleAsync(c => c.Id == first.Id, Cancel);
                return chunk.State == ScanChunkState.Leased && chunk.LeaseHolder == $"agent:{idA}"
                    && await db.EndpointObservations.AnyAsync(o => o.RunId == run.Id, Cancel);
            }, TimeSpan.FromSeconds(60), () => agentA.Output);
            await agentA.KillAsync();
            var seenBeforeKill = await ObservationCountAsync(run.Id);
            Assert.InRange(seenBeforeKill, 1, 8);
            Assert.NotEqual(ScanChunkState.Done, (await ChunksAsync(run.Id)).Single(c => c.Id == first.Id).State);

            await using var agentB = AgentProcess.Start(["--state", stateB, .. scanning]);
            await WaitForRunAsync(admin, run.Id, TimeSpan.FromSeconds(120), () => agentB.Output);

            // SIGTERM stops the idle agent cleanly.
            await agentB.TerminateAsync(TimeSpan.FromSeconds(30));
            Assert.True(agentB.ExitCode == 0, agentB.Output);
            Assert.Contains("Stopped.", agentB.Output, StringComparison.Ordinal);
            Assert.Contains($"chunk {first.Id} of run {run.Id}: 8 endpoints probed", agentB.Output, StringComparison.Ordinal);

            var done = await GetAsync<ScanRunDto>(admin, $"/api/v1/discovery/runs/{run.Id}");
            Assert.Equal((ScanRunState.Completed, 2, 2), (done.State, done.ChunkCount, done.ChunksDone));
            var chunks = (await ChunksAsync(run.Id)).OrderBy(c => c.Sequence).ToList();
            Assert.All(chunks, c => Assert.Equal((ScanChunkState.Done, $"agent:{idB}"), (c.State, c.LeaseHolder)));
            Assert.Equal([2, 1], chunks.Select(c => c.Attempts));

            // Nothing twice: one endpoint per address, one observation per endpoint, one new-endpoint change each,
            // one inventory source per certificate and endpoint.
            await using var db = Database(_server);
            var endpoints = await db.DiscoveredEndpoints.AsNoTracking().Where(e => e.LastRunId == run.Id).ToListAsync(Cancel);
            Assert.Equal(endpoints.Count, endpoints.Select(e => (e.Address, e.Port, e.HostName)).Distinct().Count());
            var observations = await db.EndpointObservations.AsNoTracking().Where(o => o.RunId == run.Id).ToListAsync(Cancel);
            Assert.Equal(endpoints.Select(e => e.Id).Order(), observations.Select(o => o.EndpointId).Order());
            var changes = await db.DiscoveryChanges.AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(Cancel);
            Assert.All(changes, c => Assert.Equal(DiscoveryChangeKinds.NewEndpoint, c.Kind));
            Assert.Equal(endpoints.Select(e => e.Id).Order(), changes.Select(c => c.EndpointId).Order());
            var certificateIds = endpoints.Where(e => e.CertificateId != null).Select(e => e.CertificateId!.Value).Distinct().ToList();
            Assert.Equal(2, certificateIds.Count);
            var sources = await db.CertificateSources.AsNoTracking().Where(s => certificateIds.Contains(s.CertificateId)).ToListAsync(Cancel);
            Assert.Equal(4, sources.Count);
            Assert.All(sources, s => Assert.Equal("scan", s.Kind));
            Assert.Equal(sources.Count, sources.Select(s => (s.CertificateId, s.Location)).Distinct().Count());

            // The same endpoints and certificates as one clean scan of the same targets.
            var clean = await CliRunner.RunAsync(["scan", "127.0.5.0/28", "-p", port.ToString(CultureInfo.InvariantCulture), "--format", "json",
                "--handshake-timeout", "2500"]);
            Assert.True(clean.ExitCode == 0, clean.Stderr);
            var expected = JsonDocument.Parse(clean.Stdout).RootElement.EnumerateArray()
                .Select(r => $"{r.GetProperty("address").GetString()}:{r.GetProperty("port").GetInt32()} {r.GetProperty("sha256").GetString()}")
                .Order().ToList();
            Assert.Equal(9, expected.Count);
            Assert.Equal(expected, endpoints.Select(e => $"{e.Address}:{e.Port} {e.Sha256Fingerprint}").Order().ToList());
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
    }

    private static async Task<CreatedEnrollmentTokenDto> CreateTokenAsync(HttpClient admin, string zone) =>
        await PostAsync<CreatedEnrollmentTokenDto>(admin, "/api/v1/discovery/agent-tokens", new { zone, validHours = 1 }, HttpStatusCode.Created);

    private static async Task<ScanDefinitionDto> CreateScanAsync(HttpClient admin, string name, string[] targets, string ports, string? zone) =>
        await PostAsync<ScanDefinitionDto>(admin, "/api/v1/discovery/scans",
            new { name = $"{name} {Guid.NewGuid():N}", targets, ports, zone, schedule = "0 3 1 1 *" }, HttpStatusCode.Created);

    private static async Task<ScanRunDto> RunNowAsync(HttpClient admin, long definitionId) =>
        await PostAsync<ScanRunDto>(admin, $"/api/v1/discovery/scans/{definitionId}/run", null, HttpStatusCode.Accepted);

    private static async Task WaitForRunAsync(HttpClient admin, long runId, TimeSpan timeout, Func<string>? explain = null)
    {
        ScanRunDto? last = null;
        await WaitForAsync(async () =>
        {
            last = await GetAsync<ScanRunDto>(admin, $"/api/v1/discovery/runs/{runId}");
            return last.State is ScanRunState.Completed or ScanRunState.Cancelled;
        }, timeout, () => $"run {runId}: {JsonSerializer.Serialize(last, Json)}\n{explain?.Invoke()}");
    }

    private async Task<List<ScanChunk>> ChunksAsync(long runId)
    {
        await using var db = Database(_server);
        return await db.ScanChunks.AsNoTracking().Where(c => c.RunId == runId).ToListAsync(Cancel);
    }

    private async Task<int> ObservationCountAsync(long runId)
    {
        await using var db = Database(_server);
        return await db.EndpointObservations.CountAsync(o => o.RunId == runId, Cancel);
    }
}
