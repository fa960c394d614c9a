using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// "Two approvals arriving at the same moment issue exactly one certificate" (docs/pki.md): several managers approve
/// the same pending request at once, for several requests, under each approval policy. Exactly one certificate per
/// request; every other approver hears 409 Conflict (never a 500); the audit chain stays linear.
/// </summary>
public abstract class ConcurrentApprovalTests(ServerFixture fixture)
{
    private const int Managers = 4;
    private const int RequestsPerPolicy = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly CertitudeServer _server = fixture.Server;

    [Theory]
    [InlineData(ApprovalPolicy.OneApprover, 1)]
    [InlineData(ApprovalPolicy.TwoApprovers, 2)]
    public async Task Approve_SeveralManagersAtTheSameMoment_IssuesExactlyOneCertificate(ApprovalPolicy policy, int required)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var domain = $"approve-{marker}.example.com";
        using var admin = _server.CreateClient();
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"root-{marker}", commonName = $"Approval Root {marker}" });
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = $"issuing-{marker}", commonName = $"Approval Issuing {marker}", parent = $"root-{marker}" });
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = $"Approvals {marker}", domains = new[] { domain }, approvalPolicy = policy.ToString(), defaultAuthority = $"issuing-{marker}",
        });
        using var requester = await _server.CreateUserClientAsync($"requester-{marker}", division.Id, OrganizationRole.User, Cancel);
        var managers = new List<HttpClient>();
        try
        {
            for (var m = 0; m < Managers; m++)
            {
                managers.Add(await _server.CreateUserClientAsync($"manager-{m}-{marker}", division.Id, OrganizationRole.Manager, Cancel));
            }

            for (var r = 0; r < RequestsPerPolicy; r++)
            {
                var host = $"www{r}.{domain}";
                var submitted = await PostAsync<RequestDto>(requester, "/api/v1/requests", new { csr = NewCsr(host) });
                Assert.Equal((RequestState.Pending, required), (submitted.State, submitted.RequiredApprovals));

                // Each manager sees it in their queue (which also opens their connection), then all approve at once.
                foreach (var manager in managers)
                {
                    var queue = (await manager.GetFromJsonAsync<RequestPage>("/api/v1/requests?approvable=true", Json, Cancel))!;
                    Assert.Contains(queue.Items, i => i.Id == submitted.Id);
                }

                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var approvals = managers.Select(async manager =>
                {
                    await go.Task;
                    using var response = await manager.PostAsync($"/api/v1/requests/{submitted.Id}/approve", null, Cancel);
                    return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Cancel));
                }).ToList();
                go.SetResult();
                var results = await Task.WhenAll(approvals).WaitAsync(TimeSpan.FromSeconds(60), Cancel);

                var unexpected = results.Where(a => a.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)).ToList();
                Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Select(a => $"{(int)a.StatusCode} {a.Body}")));
                var accepted = results.Where(a => a.StatusCode == HttpStatusCode.OK).Select(a => JsonSerializer.Deserialize<RequestDto>(a.Body, Json)!).ToList();
                Assert.Equal(required, accepted.Count);
                var issued = Assert.Single(accepted, a => a.State == RequestState.Issued);
                foreach (var conflict in results.Where(a => a.StatusCode == HttpStatusCode.Conflict))
                {
                    Assert.Contains("not pending", conflict.Body, StringComparison.Ordinal);
                }

                var details = (await requester.GetFromJsonAsync<RequestDetails>($"/api/v1/requests/{submitted.Id}", Json, Cancel))!;
                Assert.Equal(RequestState.Issued, details.Request.State);
                Assert.Equal(issued.CertificateId, details.Request.CertificateId);
                Assert.Equal(required, details.Request.Approvals.Count);
                Assert.Equal(required, details.Request.Approvals.Select(a => a.UserName).Distinct().Count());
                Assert.Equal(1, details.History.Count(h => h.Action == "request.issue"));

                await using var db = await _server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContextAsync(Cancel);
                Assert.Equal(1, await db.IssuedCertificates.CountAsync(i => i.RequestId == submitted.Id, Cancel));
                Assert.Equal(1, await db.CertificateSources.CountAsync(s => s.Kind == "issuance" && s.Location == $"request/{submitted.Id}", Cancel));
            }
        }
        finally
        {
            foreach (var manager in managers)
            {
                manager.Dispose();
            }
        }

        var audit = await _server.Services.GetRequiredService<AuditLog>().VerifyAsync(Cancel);
        Assert.True(audit.Intact, audit.Problem);
    }

    private static string NewCsr(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequestPem();
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

}

public sealed class SqliteConcurrentApprovalTests(SqliteServerFixture fixture) : ConcurrentApprovalTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlConcurrentApprovalTests(PostgreSqlServerFixture fixture) : ConcurrentApprovalTests(fixture), IClassFixture<PostgreSqlServerFixture>;
