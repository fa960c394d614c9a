using System.Net;
using System.Net.Http.Json;
using System.Text;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.TestSupport;
using static Certitude.IntegrationTests.Features.Discovery.DiscoveryTestApi;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// The discovery REST API over HTTP against the real server, on SQLite and PostgreSQL: bad input refused before anything
/// is saved, and uploaded results (the format <c>certitude scan --server</c> sends) turned into endpoints, observations,
/// inventory certificates and changes between runs.
/// </summary>
public abstract class DiscoveryApiTests(DiscoveryServerFixture fixture)
{
    private readonly CertitudeServer _server = fixture.Server;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateScan_InvalidTargetsAndPorts_Returns400NamingEveryBadItemAndSavesNothing()
    {
        using var admin = _server.CreateClient();
        var name = $"bad-{Guid.NewGuid():N}";
        using var response = await admin.PostAsJsonAsync("/api/v1/discovery/scans", new
        {
            name, targets = new[] { "10.0.0.0/33", "300.1.1.1", "bad_host!", "10.0.0.9-10.0.0.1", "10.0.0.1" }, ports = "443,70000,80-20",
        }, Json, Cancel);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        foreach (var item in new[] { "10.0.0.0/33", "300.1.1.1", "bad_host!", "10.0.0.9-10.0.0.1", "70000", "80-20" })
        {
            Assert.Contains($"'{item}", problem, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("'10.0.0.1'", problem, StringComparison.Ordinal);
        await AssertNoScanNamedAsync(admin, name);
    }

    [Theory]
    [InlineData("schedule", "61 * * * *", true)]
    [InlineData("schedule", "every sunday", true)]
    // A disabled scan is still saved with its schedule, to run once enabled: a broken one must be refused all the same.
    [InlineData("schedule", "0 3 * * 9", false)]
    [InlineData("zone", "zone with spaces", true)]
    [InlineData("zone", "zone/../x", true)]
    public async Task CreateScan_InvalidScheduleOrZone_Returns400NamingTheField(string field, string value, bool enabled)
    {
        using var admin = _server.CreateClient();
        var name = $"bad-{field}-{Guid.NewGuid():N}";
        var input = new Dictionary<string, object> { ["name"] = name, ["targets"] = new[] { "10.1.2.3" }, ["ports"] = "443", ["enabled"] = enabled, [field] = value };
        using var response = await admin.PostAsJsonAsync("/api/v1/discovery/scans", input, Json, Cancel);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"\n{field}: ", problem, StringComparison.Ordinal);
        await AssertNoScanNamedAsync(admin, name);
    }

    [Fact]
    public async Task CreateScan_TargetsOutsideAllowedRanges_Returns403NamingThemAndSavesNothing()
    {
        using var admin = _server.CreateClient();
        var name = $"outside-{Guid.NewGuid():N}";

        // RFC 5737 documentation ranges: public addresses, outside the default allowed ranges (private and loopback).
        using var response = await admin.PostAsJsonAsync("/api/v1/discovery/scans", new
        {
            name, targets = new[] { "198.51.100.0/24", "127.0.0.1", "203.0.113.9:8443", "10.9.9.9" }, ports = "443",
        }, Json, Cancel);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("198.51.100.0/24", problem, StringComparison.Ordinal);
        Assert.Contains("203.0.113.9", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1,", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("10.9.9.9", problem, StringComparison.Ordinal);
        await AssertNoScanNamedAsync(admin, name);
    }

    [Fact]
    public async Task CreateScan_OversizeInput_Returns400()
    {
        using var admin = _server.CreateClient();
        var name = $"huge-{Guid.NewGuid():N}";
        var tooManyTargets = Enumerable.Range(0, DiscoveryLimits.MaxTargetItems + 1).Select(i => $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}").ToArray();
        var longPorts = string.Join(",", Enumerable.Range(1, 600));

        foreach (var input in new object[]
        {
            new { name, targets = tooManyTargets, ports = "443" },
            new { name, targets = new[] { "10.0.0.1" }, ports = longPorts },
            // Every port of a /8: far more endpoints than one scan may hold.
            new { name, targets = new[] { "10.0.0.0/8" }, ports = "1-65535" },
        })
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/discovery/scans", input, Json, Cancel);
            await ProblemAsync(response, HttpStatusCode.BadRequest);
        }

        await AssertNoScanNamedAsync(admin, name);
    }

    [Fact]
    public async Task Upload_MoreResultsThanTheLimit_Returns400AndRecordsNoRun()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var result = Raw($"{subnet}.0.1", 443, []);
        var results = Enumerable.Repeat(result, DiscoveryLimits.MaxResultsPerUpload + 1).ToList();
        var before = await LastRunIdAsync(admin);

        using var response = await admin.PostAsJsonAsync("/api/v1/discovery/uploads",
            new ScanUploadInput([$"{subnet}.0.0/24"], "443", null, null, results), Json, Cancel);

        await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await LastRunIdAsync(admin));
    }

    [Fact]
    public async Task Upload_TargetsOutsideAllowedRanges_Returns403AndRecordsNoRun()
    {
        using var admin = _server.CreateClient();
        var before = await LastRunIdAsync(admin);
        using var response = await admin.PostAsJsonAsync("/api/v1/discovery/uploads",
            new ScanUploadInput(["198.51.100.7"], "443", null, null, [Result("198.51.100.7", 443, CertificateFactory.CreateLeaf(null, "public.example"))]), Json, Cancel);

        Assert.Contains("198.51.100.7", await ProblemAsync(response, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(before, await LastRunIdAsync(admin));
        Assert.Empty(await EndpointsAsync(admin, "q=198.51.100.7"));
    }

    [Fact]
    public async Task Upload_Result_RecordsEndpointObservationAndScanSourcedCertificate()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var leaf = CertificateFactory.CreateLeaf(null, $"web.{subnet}.example");

        var run = await UploadAsync(admin, [$"{subnet}.0.1"], "8443", [Result($"{subnet}.0.1", 8443, leaf)]);

        Assert.Equal(ScanRunState.Completed, run.State);
        Assert.Equal((1, 1, 1, 0), (run.EndpointsFound, run.Certificates, run.NewEndpoints, run.Errors));
        var endpoint = Assert.Single(await EndpointsAsync(admin, $"run={run.Id}"));
        Assert.Equal(($"{subnet}.0.1", 8443, true), (endpoint.Address, endpoint.Port, endpoint.IsActive));
        Assert.Equal(Convert.ToHexStringLower(leaf.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), endpoint.Sha256Fingerprint);
        var detail = await admin.GetFromJsonAsync<EndpointDetailDto>($"/api/v1/discovery/endpoints/{endpoint.Id}", Json, Cancel);
        Assert.Equal(run.Id, Assert.Single(detail!.History).RunId);
        var certificate = await admin.GetFromJsonAsync<CertificateDetails>($"/api/v1/certificates/{endpoint.CertificateId}", Json, Cancel);
        Assert.Contains(certificate!.Sources, s => s.Kind == CertificateSourceKinds.Scan && s.Location == $"{subnet}.0.1:8443");
        Assert.Equal(endpoint.Id, Assert.Single(await EndpointsAsync(admin, $"q=WEB.{subnet}.EXAMPLE")).Id);
        Assert.Equal(endpoint.Id, Assert.Single(await EndpointsAsync(admin, $"q={endpoint.Sha256Fingerprint}")).Id);
    }

    [Fact]
    public async Task Upload_SuccessiveRuns_ReportChangedGoneAndReturningEndpoints()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        string[] targets = [$"{subnet}.0.0/29"];
        var first = CertificateFactory.CreateLeaf(null, $"one.{subnet}.example");
        var second = CertificateFactory.CreateLeaf(null, $"two.{subnet}.example");
        var replacement = CertificateFactory.CreateLeaf(null, $"one-new.{subnet}.example");
        ScanResultDto[] both = [Result($"{subnet}.0.1", 8443, first), Result($"{subnet}.0.2", 8443, second)];

        var run1 = await UploadAsync(admin, targets, "8443", both);
        var run2 = await UploadAsync(admin, targets, "8443", both);

        // The same results twice: one endpoint each, an observation per run, nothing changed.
        Assert.Equal((2, 2), (run1.NewEndpoints, run1.EndpointsFound));
        Assert.Equal((0, 0, 0, 2), (run2.NewEndpoints, run2.ChangedCertificates, run2.GoneEndpoints, run2.EndpointsFound));
        Assert.Empty(await ChangesAsync(admin, run2.Id));
        var endpoints = await EndpointsAsync(admin, $"q={subnet}.0.");
        Assert.Equal(2, endpoints.Count);
        var one = endpoints.Single(e => e.Address == $"{subnet}.0.1");
        var two = endpoints.Single(e => e.Address == $"{subnet}.0.2");
        var detail = await admin.GetFromJsonAsync<EndpointDetailDto>($"/api/v1/discovery/endpoints/{one.Id}", Json, Cancel);
        Assert.Equal([run2.Id, run1.Id], detail!.History.Select(h => h.RunId));

        // A new certificate on .1, and .2 gone from a run over the same targets.
        var run3 = await UploadAsync(admin, targets, "8443", [Result($"{subnet}.0.1", 8443, replacement)]);
        Assert.Equal((1, 1, 0), (run3.ChangedCertificates, run3.GoneEndpoints, run3.NewEndpoints));
        var changes3 = await ChangesAsync(admin, run3.Id);
        Assert.Equal(2, changes3.Count);
        var changed = Assert.Single(changes3, c => c.Kind == DiscoveryChangeKinds.CertificateChanged);
        Assert.Equal((one.Id, one.CertificateId), (changed.EndpointId, changed.PreviousCertificateId));
        Assert.NotEqual(one.CertificateId, changed.CertificateId);
        Assert.Equal(two.Id, Assert.Single(changes3, c => c.Kind == DiscoveryChangeKinds.EndpointGone).EndpointId);
        var gone = (await EndpointsAsync(admin, "active=false")).Single(e => e.Id == two.Id);
        Assert.False(gone.IsActive);
        Assert.NotNull(gone.GoneAt);

        // .2 answers again: a new endpoint again, active.
        var run4 = await UploadAsync(admin, targets, "8443", [Result($"{subnet}.0.1", 8443, replacement), Result($"{subnet}.0.2", 8443, second)]);
        Assert.Equal((1, 0, 0), (run4.NewEndpoints, run4.ChangedCertificates, run4.GoneEndpoints));
        Assert.Equal(two.Id, Assert.Single(await ChangesAsync(admin, run4.Id)).EndpointId);
        Assert.True((await EndpointsAsync(admin, $"q={subnet}.0.2")).Single().IsActive);
    }

    [Fact]
    public async Task Upload_ResultsOutsideTargetsOrAllowedRanges_AreDropped()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var leaf = CertificateFactory.CreateLeaf(null, $"in.{subnet}.example");

        var run = await UploadAsync(admin, [$"{subnet}.0.0/30"], "443", [
            Result($"{subnet}.0.1", 443, leaf),
            Result($"{subnet}.0.9", 443, leaf),       // address outside the targets
            Result($"{subnet}.0.2", 8443, leaf),      // port outside the port list
            Result("198.51.100.1", 443, leaf),        // outside the allowed ranges
            Result("not-an-address", 443, leaf),
        ]);

        Assert.Equal(1, run.EndpointsFound);
        Assert.Equal($"{subnet}.0.1", Assert.Single(await EndpointsAsync(admin, $"run={run.Id}")).Address);
        Assert.Empty(await EndpointsAsync(admin, "q=198.51.100.1"));
        Assert.Empty(await EndpointsAsync(admin, $"q={subnet}.0.9"));
    }

    [Fact]
    public async Task Upload_MalformedCertificate_RecordsThatEndpointAsMalformedAndTheRestOfTheBatch()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var good = CertificateFactory.CreateLeaf(null, $"good.{subnet}.example");

        var run = await UploadAsync(admin, [$"{subnet}.0.0/29"], "443", [
            Raw($"{subnet}.0.1", 443, ["not base64 at all!"]),
            Raw($"{subnet}.0.2", 443, [Convert.ToBase64String(Encoding.ASCII.GetBytes("base64, but not a certificate"))]),
            Result($"{subnet}.0.3", 443, good),
        ]);

        var endpoints = (await EndpointsAsync(admin, $"run={run.Id}")).ToDictionary(e => e.Address);
        Assert.Equal(3, endpoints.Count);
        Assert.Equal("malformed", endpoints[$"{subnet}.0.1"].Failure);
        Assert.Null(endpoints[$"{subnet}.0.1"].CertificateId);
        Assert.Equal("malformed", endpoints[$"{subnet}.0.2"].Failure);
        Assert.Null(endpoints[$"{subnet}.0.2"].CertificateId);
        Assert.Null(endpoints[$"{subnet}.0.3"].Failure);
        Assert.NotNull(endpoints[$"{subnet}.0.3"].CertificateId);
        Assert.Equal((3, 1, 2), (run.EndpointsFound, run.Certificates, run.Errors));
    }

    [Fact]
    public async Task Upload_DivisionIpRanges_PlaceEndpointsMostSpecificFirstAndScopeWhoSeesThem()
    {
        using var admin = _server.CreateClient();
        var subnet = NewSubnet();
        var other = NewSubnet();
        var wide = await CreateDivisionAsync(admin, $"Wide {subnet}", [$"{subnet}.0.0/16"]);
        var narrow = await CreateDivisionAsync(admin, $"Narrow {subnet}", [$"{subnet}.5.0/24"]);
        var fallback = await CreateDivisionAsync(admin, $"Fallback {subnet}");
        var leaf = CertificateFactory.CreateLeaf(null, $"div.{subnet}.example");

        var run = await UploadAsync(admin, [$"{subnet}.5.1", $"{subnet}.6.1", $"{other}.0.1"], "443",
            [Result($"{subnet}.5.1", 443, leaf), Result($"{subnet}.6.1", 443, leaf), Result($"{other}.0.1", 443, leaf)], fallback.Id);

        var placed = (await EndpointsAsync(admin, $"run={run.Id}")).ToDictionary(e => e.Address, e => e.DivisionId);
        Assert.Equal(narrow.Id, placed[$"{subnet}.5.1"]);
        Assert.Equal(wide.Id, placed[$"{subnet}.6.1"]);
        Assert.Equal(fallback.Id, placed[$"{other}.0.1"]);

        using var narrowUser = await _server.CreateUserClientAsync($"narrow-{subnet}", narrow.Id, Certitude.Features.Organization.OrganizationRole.User, Cancel);
        var seen = await EndpointsAsync(narrowUser, "");
        Assert.Equal([$"{subnet}.5.1"], seen.Select(e => e.Address));
        Assert.All(await narrowUser.GetFromJsonAsync<List<DiscoveryChangeDto>>("/api/v1/discovery/changes", Json, Cancel) ?? [],
            c => Assert.Equal(seen[0].Id, c.EndpointId));
        var hidden = (await EndpointsAsync(admin, $"run={run.Id}")).Single(e => e.Address == $"{subnet}.6.1");
        Assert.Equal(HttpStatusCode.NotFound, (await narrowUser.GetAsync($"/api/v1/discovery/endpoints/{hidden.Id}", Cancel)).StatusCode);
        // The run belongs to the fallback division, where the narrow division's user has no role.
        Assert.Equal(HttpStatusCode.NotFound, (await narrowUser.GetAsync($"/api/v1/discovery/runs/{run.Id}", Cancel)).StatusCode);
    }

    private static async Task AssertNoScanNamedAsync(HttpClient admin, string name) =>
        Assert.DoesNotContain(await admin.GetFromJsonAsync<List<ScanDefinitionDto>>("/api/v1/discovery/scans", Json, Cancel) ?? [], d => d.Name == name);

    private static async Task<long?> LastRunIdAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<List<ScanRunDto>>("/api/v1/discovery/runs?limit=1", Json, Cancel))!.FirstOrDefault()?.Id;
}

public sealed class SqliteDiscoveryApiTests(SqliteDiscoveryServerFixture fixture) : DiscoveryApiTests(fixture), IClassFixture<SqliteDiscoveryServerFixture>;

public sealed class PostgreSqlDiscoveryApiTests(PostgreSqlDiscoveryServerFixture fixture) : DiscoveryApiTests(fixture), IClassFixture<PostgreSqlDiscoveryServerFixture>;
