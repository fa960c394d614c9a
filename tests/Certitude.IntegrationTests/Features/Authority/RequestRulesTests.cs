using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// The request workflow's rules over the API: refused requests say why and store nothing; two approvers when the
/// division asks for two; the one-click approval link acts only when its button is pressed, only for its approver.
/// </summary>
public abstract class RequestRulesTests(ServerFixture fixture) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly CertitudeServer _server = fixture.Server;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-rules-").FullName;

    [Fact]
    public async Task Submit_BadCsrsAndNames_AreRefusedWithTheReasonAndStoreNothing()
    {
        var world = await WorldAsync("OneApprover");
        await OpenSslAsync("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-out", "weak.csr", "-subj", $"/CN=weak.{world.Domain}");
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "good.key", "-out", "good.csr",
            "-subj", $"/CN=good.{world.Domain}");
        await OpenSslAsync("req", "-new", "-key", "good.key", "-sha1", "-out", "sha1.csr", "-subj", $"/CN=sha1.{world.Domain}");
        var good = await File.ReadAllTextAsync(Path.Combine(_work, "good.csr"), Cancel);
        var sha1 = await File.ReadAllTextAsync(Path.Combine(_work, "sha1.csr"), Cancel);
        // One character of the base64 body changed: the signature no longer matches what is signed.
        var lines = good.Split('\n');
        lines[3] = (lines[3][5] == 'A' ? lines[3][..5] + "B" : lines[3][..5] + "A") + lines[3][6..];
        var altered = string.Join('\n', lines);

        var before = (await world.User.GetFromJsonAsync<RequestPage>("/api/v1/requests?mine=true", Json, Cancel))!.Items.Count;
        await AssertRefusedAsync(world.User, new { csr = await File.ReadAllTextAsync(Path.Combine(_work, "weak.csr"), Cancel) }, "1024");
        await AssertRefusedAsync(world.User, new { csr = altered }, "signature");
        await AssertRefusedAsync(world.User, new { csr = "not a CSR at all" }, "CSR");
        await AssertRefusedAsync(world.User, new { csr = good, dnsNames = new[] { "www.not-ours.example.org" } }, "www.not-ours.example.org");
        await AssertRefusedAsync(world.User, new { csr = good, profile = "public-tls-server", ipAddresses = new[] { "10.1.2.3" } }, "10.1.2.3");
        await AssertRefusedAsync(world.User, new { generateKey = "EcP256" }, "at least one");
        await AssertRefusedAsync(world.User, new { csr = sha1, profile = "public-tls-server" }, "SHA-1");
        Assert.Equal(before, (await world.User.GetFromJsonAsync<RequestPage>("/api/v1/requests?mine=true", Json, Cancel))!.Items.Count);
    }

    [Fact]
    public async Task Approve_DivisionAskingForTwo_IssuesOnlyAfterTheSecondApprover()
    {
        var world = await WorldAsync("TwoApprovers");
        using var second = await _server.CreateUserClientAsync($"second-{world.Marker}", world.DivisionId, OrganizationRole.Manager, Cancel);
        var request = await SubmitAsync(world.User, world.Domain);
        Assert.Equal(2, request.RequiredApprovals);

        var first = await PostAsync<RequestDto>(world.Manager, $"/api/v1/requests/{request.Id}/approve", HttpStatusCode.OK);
        Assert.Equal(RequestState.Pending, first.State);
        Assert.Equal(HttpStatusCode.Conflict, (await world.Manager.PostAsync($"/api/v1/requests/{request.Id}/approve", null, Cancel)).StatusCode);
        var issued = await PostAsync<RequestDto>(second, $"/api/v1/requests/{request.Id}/approve", HttpStatusCode.OK);
        Assert.Equal(RequestState.Issued, issued.State);
        Assert.Equal(2, issued.Approvals.Count);

        var times = (await world.Manager.GetFromJsonAsync<List<ApprovalTimes>>("/api/v1/requests/approval-times", Json, Cancel))!;
        Assert.Contains(times, t => t.DivisionId == world.DivisionId && t.Decided >= 1 && t.MedianMinutes is not null);
    }

    [Fact]
    public async Task ApprovalLink_OpeningShowsTheRequest_OnlyTheButtonApproves()
    {
        var world = await WorldAsync("OneApprover");
        var request = await SubmitAsync(world.User, world.Domain);
        Assert.Equal(HttpStatusCode.Conflict, (await world.User.GetAsync($"/api/v1/requests/{request.Id}/approval-message", Cancel)).StatusCode);
        var message = (await world.Manager.GetFromJsonAsync<ApprovalMessage>($"/api/v1/requests/{request.Id}/approval-message", Json, Cancel))!;
        Assert.Contains(message.Link, message.Body, StringComparison.Ordinal);
        Assert.Contains(request.CommonName!, message.Subject, StringComparison.Ordinal);
        var path = new Uri(message.Link).AbsolutePath;

        using var browser = _server.CreateAnonymousClient();
        var page = await browser.GetStringAsync(path, Cancel);
        Assert.Contains(request.CommonName!, page, StringComparison.Ordinal);
        Assert.Contains("link-approve", page, StringComparison.Ordinal);
        Assert.Equal(RequestState.Pending, await StateAsync(world.Manager, request.Id));

        var tampered = await browser.GetStringAsync(path[..^4] + "AAAA", Cancel);
        Assert.Contains("approval-link-invalid", tampered, StringComparison.Ordinal);

        var done = await BrowserForms.PostAsync(browser, path, path, new() { ["decision"] = "approve" }, Cancel);
        Assert.Contains("done=Issued", done, StringComparison.Ordinal);
        var details = (await world.Manager.GetFromJsonAsync<RequestDetails>($"/api/v1/requests/{request.Id}", Json, Cancel))!;
        Assert.Equal(RequestState.Issued, details.Request.State);
        Assert.Equal("link", Assert.Single(details.Request.Approvals).Channel);

        // The same link again: the request is no longer pending, nothing happens twice.
        Assert.DoesNotContain("link-approve", await browser.GetStringAsync(path, Cancel), StringComparison.Ordinal);

        var messages = await _server.Services.GetRequiredService<ApprovalLinks>().MessagesForApproversAsync((await SubmitAsync(world.User, world.Domain)).Id, Cancel);
        Assert.Contains(messages, m => m.To == $"manager-{world.Marker}@example.test");
        Assert.DoesNotContain(messages, m => m.To == $"user-{world.Marker}@example.test");
    }

    [Fact]
    public async Task Submit_AfterTheDivisionsDefaultCaChanges_GoesToTheNewCaAtOnce()
    {
        // The CA a division's requests go to is cached per access stamp: the change must reach the very next request.
        var world = await WorldAsync("AutoApprove");
        var first = await SubmitAsync(world.User, world.Domain);
        Assert.Equal((RequestState.Issued, $"rr-issuing-{world.Marker}"), (first.State, first.Authority));
        var other = await PostJsonAsync<AuthorityDto>(world.Admin, "/api/v1/authorities", new { name = $"rr-other-{world.Marker}", commonName = $"Rules Other {world.Marker}", parent = $"rr-root-{world.Marker}" });

        using var patched = await world.Admin.PatchAsJsonAsync($"/api/v1/divisions/{world.DivisionId}", new { defaultAuthority = other.Name }, Json, Cancel);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var second = await SubmitAsync(world.User, world.Domain);
        Assert.Equal((RequestState.Issued, other.Name), (second.State, second.Authority));
    }

    private sealed record World(string Marker, string Domain, long DivisionId, HttpClient Admin, HttpClient User, HttpClient Manager);

    private async Task<World> WorldAsync(string approvalPolicy)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var domain = $"{marker}.example.com";
        var admin = _server.CreateClient();
        var root = await PostJsonAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"rr-root-{marker}", commonName = $"Rules Root {marker}" });
        var issuing = await PostJsonAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"rr-issuing-{marker}", commonName = $"Rules Issuing {marker}", parent = root.Name });
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostJsonAsync<DivisionDto>(admin, "/api/v1/divisions",
            new { parentId = organization.Id, name = $"Rules {marker}", domains = new[] { domain }, approvalPolicy, defaultAuthority = issuing.Name });
        var user = await _server.CreateUserClientAsync($"user-{marker}", division.Id, OrganizationRole.User, Cancel);
        var manager = await _server.CreateUserClientAsync($"manager-{marker}", division.Id, OrganizationRole.Manager, Cancel);
        return new World(marker, domain, division.Id, admin, user, manager);
    }

    private static async Task<RequestDto> SubmitAsync(HttpClient client, string domain) =>
        await PostJsonAsync<RequestDto>(client, "/api/v1/requests", new { generateKey = "EcP256", dnsNames = new[] { $"host-{Guid.NewGuid():N}"[..13] + "." + domain } });

    private static async Task<RequestState> StateAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<RequestDetails>($"/api/v1/requests/{id}", Json, Cancel))!.Request.State;

    private static async Task AssertRefusedAsync(HttpClient client, object body, string reasonContains)
    {
        var response = await client.PostAsJsonAsync("/api/v1/requests", body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reasonContains, text, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<T> PostJsonAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, HttpStatusCode expected)
    {
        var response = await client.PostAsync(path, null, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteRequestRulesTests(SqliteServerFixture fixture) : RequestRulesTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlRequestRulesTests(PostgreSqlServerFixture fixture) : RequestRulesTests(fixture), IClassFixture<PostgreSqlServerFixture>;
