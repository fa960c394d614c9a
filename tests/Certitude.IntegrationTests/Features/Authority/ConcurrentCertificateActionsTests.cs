using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// Promises about one certificate that must hold when the same action arrives several times at the same moment:
/// a server-generated key goes to each person once (docs/pki.md), and a revocation is final (docs/decisions/0003).
/// One request wins; every other gets a 409 saying why, never a 500, and never changes what the winner did.
/// </summary>
public abstract class ConcurrentCertificateActionsTests(ServerFixture fixture)
{
    private const int Attempts = 4;
    private const int Rounds = 3;
    private const string Password = "concurrent downloads";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly CertitudeServer _server = fixture.Server;

    [Fact]
    public async Task DownloadPfx_SameUserSeveralTimesAtOnce_HandsTheKeyOutOnce()
    {
        using var admin = _server.CreateClient();
        var (divisionId, domain) = await CreateAutoApprovingDivisionAsync(admin);
        for (var round = 0; round < Rounds; round++)
        {
            var issued = await PostAsync<RequestDto>(admin, "/api/v1/requests", new { divisionId, generateKey = "EcP256", dnsNames = new[] { $"app{round}.{domain}" } });
            Assert.Equal(RequestState.Issued, issued.State);
            var results = await AllAtOnceAsync(issued.CertificateId!.Value,
                (client, id) => client.PostAsJsonAsync($"/api/v1/certificates/{id}/pfx", new { password = Password }, Cancel));

            var pfx = Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK).Body;
            using var opened = X509CertificateLoader.LoadPkcs12(pfx, Password);
            Assert.True(opened.HasPrivateKey);
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => AssertConflict(r, "downloaded this private key already"));
        }
    }

    [Fact]
    public async Task Revoke_SameCertificateSeveralTimesAtOnce_FirstRevocationStands()
    {
        using var admin = _server.CreateClient();
        var (divisionId, domain) = await CreateAutoApprovingDivisionAsync(admin);
        for (var round = 0; round < Rounds; round++)
        {
            var issued = await PostAsync<RequestDto>(admin, "/api/v1/requests", new { divisionId, generateKey = "EcP256", dnsNames = new[] { $"gone{round}.{domain}" } });
            var reasons = new ConcurrentQueue<string>(["Superseded", "CessationOfOperation", "AffiliationChanged", "PrivilegeWithdrawn"]);
            var results = await AllAtOnceAsync(issued.CertificateId!.Value,
                (client, id) => client.PostAsJsonAsync($"/api/v1/certificates/{id}/revoke", new { reason = reasons.TryDequeue(out var reason) ? reason : "Unspecified" }, Cancel));

            var winner = JsonSerializer.Deserialize<IssuedCertificateInfo>(Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK).Body, Json)!;
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => AssertConflict(r, "was revoked on"));
            var stored = (await admin.GetFromJsonAsync<IssuedCertificateInfo>($"/api/v1/certificates/{issued.CertificateId}/issuance", Json, Cancel))!;
            // Each attempt gave another reason: the stored one is the winner's. (Times: as precise as the database keeps them.)
            Assert.Equal(winner.RevocationReason, stored.RevocationReason);
            Assert.Equal(winner.RevokedAt!.Value, stored.RevokedAt!.Value, TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>The same action from <see cref="Attempts"/> clients of the administrator, released together.</summary>
    private async Task<(HttpStatusCode StatusCode, byte[] Body)[]> AllAtOnceAsync(long certificateId, Func<HttpClient, long, Task<HttpResponseMessage>> action)
    {
        var clients = Enumerable.Range(0, Attempts).Select(_ => _server.CreateClient()).ToList();
        try
        {
            foreach (var client in clients)
            {
                // Opens each connection first, so that the actions below really start together.
                using var warm = await client.GetAsync($"/api/v1/certificates/{certificateId}/issuance", Cancel);
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var calls = clients.Select(async client =>
            {
                await go.Task;
                using var response = await action(client, certificateId);
                return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(Cancel));
            }).ToList();
            go.SetResult();
            var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
            var unexpected = results.Where(r => r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)).ToList();
            Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Select(r => $"{(int)r.StatusCode} {Encoding.UTF8.GetString(r.Item2)}")));
            return results;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static void AssertConflict((HttpStatusCode StatusCode, byte[] Body) result, string why)
    {
        Assert.Equal(HttpStatusCode.Conflict, result.StatusCode);
        Assert.Contains(why, Encoding.UTF8.GetString(result.Body), StringComparison.Ordinal);
    }

    private static async Task<(long DivisionId, string Domain)> CreateAutoApprovingDivisionAsync(HttpClient admin)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var domain = $"actions-{marker}.example.com";
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"root-{marker}", commonName = $"Actions Root {marker}" });
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"issuing-{marker}", commonName = $"Actions Issuing {marker}", parent = $"root-{marker}" });
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = $"Actions {marker}", domains = new[] { domain }, approvalPolicy = "AutoApprove", defaultAuthority = $"issuing-{marker}",
        });
        return (division.Id, domain);
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }
}

public sealed class SqliteConcurrentCertificateActionsTests(SqliteServerFixture fixture) : ConcurrentCertificateActionsTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlConcurrentCertificateActionsTests(PostgreSqlServerFixture fixture) : ConcurrentCertificateActionsTests(fixture), IClassFixture<PostgreSqlServerFixture>;
