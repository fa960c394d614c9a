using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// The "done when", as people would do it over the API: a user requests a certificate with a CSR made by
/// openssl, a manager approves it from the queue, the user downloads it, nginx serves it and curl trusts it through
/// the root; it is renewed, reissued with another SAN and revoked; openssl's OCSP client and the CRL show it revoked.
/// Every judgement comes from tools nobody here wrote: openssl, certtool, nginx, curl.
/// </summary>
public abstract class ManagedPkiWorkflowTests(ServerFixture fixture) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly CertitudeServer _server = fixture.Server;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-pki-").FullName;

    [Fact]
    public async Task RequestApproveDownloadServeRenewReissueRevoke_WorksWithRealTools()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var domain = $"{marker}.example.com";
        using var admin = _server.CreateClient();
        var root = await CreateAuthorityAsync(admin, new { name = $"root-{marker}", commonName = $"Test Root {marker}", keyType = "EcP384" });
        var issuing = await CreateAuthorityAsync(admin, new { name = $"issuing-{marker}", commonName = $"Test Issuing {marker}", parent = root.Name });
        Assert.False(root.IsIssuing);
        Assert.True(issuing.IsIssuing);

        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = $"Web {marker}", domains = new[] { domain }, approvalPolicy = "OneApprover", defaultAuthority = issuing.Name,
        }, HttpStatusCode.Created);
        using var user = await _server.CreateUserClientAsync($"user-{marker}", division.Id, OrganizationRole.User, Cancel);
        using var manager = await _server.CreateUserClientAsync($"manager-{marker}", division.Id, OrganizationRole.Manager, Cancel);

        // A CSR from openssl, for a name the division owns.
        var host = $"www.{domain}";
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "request.csr",
            "-subj", $"/CN={host}", "-addext", $"subjectAltName=DNS:{host}");
        var submitted = await PostAsync<RequestDto>(user, "/api/v1/requests", new { csr = await File.ReadAllTextAsync(Path.Combine(_work, "request.csr"), Cancel) }, HttpStatusCode.Created);
        Assert.Equal(RequestState.Pending, submitted.State);
        Assert.Equal([$"DNS:{host}"], submitted.Names);

        // The manager's queue has it; the requester cannot approve it.
        var queue = (await manager.GetFromJsonAsync<RequestPage>("/api/v1/requests?approvable=true", Json, Cancel))!;
        Assert.Contains(queue.Items, r => r.Id == submitted.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync($"/api/v1/requests/{submitted.Id}/approve", null, Cancel)).StatusCode);
        var approved = await PostAsync<RequestDto>(manager, $"/api/v1/requests/{submitted.Id}/approve", null, HttpStatusCode.OK);
        Assert.Equal(RequestState.Issued, approved.State);
        var certificateId = approved.CertificateId!.Value;

        // Download as PEM and PKCS#7; openssl and certtool verify the chain to the root.
        await File.WriteAllBytesAsync(Path.Combine(_work, "root.der"), await user.GetByteArrayAsync($"/ca/{root.Name}.crt", Cancel), Cancel);
        await OpenSslAsync("x509", "-inform", "DER", "-in", "root.der", "-out", "root.pem");
        await DownloadAsync(user, certificateId, "pem", "leaf.pem");
        await DownloadAsync(user, certificateId, "chain", "chain.pem");
        await DownloadAsync(user, certificateId, "fullchain", "fullchain.pem");
        await DownloadAsync(user, certificateId, "p7b", "bundle.p7b");
        Assert.Contains("leaf.pem: OK", await OpenSslAsync("verify", "-CAfile", "root.pem", "-untrusted", "chain.pem", "leaf.pem"), StringComparison.Ordinal);
        var p7 = await OpenSslAsync("pkcs7", "-inform", "DER", "-in", "bundle.p7b", "-print_certs", "-noout");
        Assert.Contains($"subject=CN = {host}", p7, StringComparison.Ordinal);
        Assert.Contains($"subject=CN = Test Root {marker}", p7, StringComparison.Ordinal);
        // certtool: the served chain against the root as trust anchor, and the whole chain (root included) on its own.
        var certtool = await ExternalProcess.RunAsync("/usr/bin/certtool",
            ["--verify", "--verify-hostname", host, "--load-ca-certificate", Path.Combine(_work, "root.pem"), "--infile", Path.Combine(_work, "fullchain.pem")], _work);
        Assert.Contains("Chain verification output: Verified", certtool, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_work, "everything.pem"),
            await File.ReadAllTextAsync(Path.Combine(_work, "fullchain.pem"), Cancel) + await File.ReadAllTextAsync(Path.Combine(_work, "root.pem"), Cancel), Cancel);
        var certtoolChain = await ExternalProcess.RunAsync("/usr/bin/certtool", ["--verify-chain", "--infile", Path.Combine(_work, "everything.pem")], _work);
        Assert.Contains("Chain verification output: Verified", certtoolChain, StringComparison.Ordinal);
        var text = await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-text");
        Assert.Contains($"URI:{_server.BaseAddress.ToString().TrimEnd('/')}/crl/{issuing.Name}.crl", text, StringComparison.Ordinal);
        Assert.Contains($"OCSP - URI:{_server.BaseAddress.ToString().TrimEnd('/')}/ocsp/{issuing.Name}", text, StringComparison.Ordinal);

        // nginx serves it and curl trusts it through the root alone.
        await using (var nginx = await NginxServer.StartAsync(await File.ReadAllTextAsync(Path.Combine(_work, "fullchain.pem"), Cancel),
            await File.ReadAllTextAsync(Path.Combine(_work, "key.pem"), Cancel)))
        {
            var body = await ExternalProcess.RunAsync("/usr/bin/curl",
                ["--silent", "--show-error", "--cacert", Path.Combine(_work, "root.pem"), "--resolve", $"{host}:{nginx.Port}:127.0.0.1", $"https://{host}:{nginx.Port}/"], _work);
            Assert.Equal(NginxServer.Body, body.Trim());
        }

        Assert.Contains(": good", await OcspAsync(issuing.Name, "leaf.pem"), StringComparison.Ordinal);
        // Without a nonce the responder answers the same request from memory (RFC 5019); the revocation below must clear it.
        Assert.Contains(": good", await OcspAsync(issuing.Name, "leaf.pem", nonce: false), StringComparison.Ordinal);
        Assert.Contains(": good", await OcspAsync(issuing.Name, "leaf.pem", nonce: false), StringComparison.Ordinal);

        // Renew: same names, same key (none given), new serial and period; the old certificate stays valid.
        var renewal = await PostAsync<RequestDto>(user, $"/api/v1/certificates/{certificateId}/renew", new { }, HttpStatusCode.Created);
        Assert.Equal((RequestKind.Renewal, RequestState.Pending), (renewal.Kind, renewal.State));
        var renewed = await PostAsync<RequestDto>(manager, $"/api/v1/requests/{renewal.Id}/approve", null, HttpStatusCode.OK);
        Assert.Equal(RequestState.Issued, renewed.State);
        Assert.NotEqual(certificateId, renewed.CertificateId);
        await DownloadAsync(user, renewed.CertificateId!.Value, "pem", "renewed.pem");
        Assert.Contains("renewed.pem: OK", await OpenSslAsync("verify", "-CAfile", "root.pem", "-untrusted", "chain.pem", "renewed.pem"), StringComparison.Ordinal);

        // Reissue with another SAN: both names, and the original's end date.
        var reissue = await PostAsync<RequestDto>(user, $"/api/v1/certificates/{certificateId}/reissue", new { dnsNames = new[] { host, $"api.{domain}" } }, HttpStatusCode.Created);
        var reissued = await PostAsync<RequestDto>(manager, $"/api/v1/requests/{reissue.Id}/approve", null, HttpStatusCode.OK);
        Assert.Equal(RequestState.Issued, reissued.State);
        await DownloadAsync(user, reissued.CertificateId!.Value, "pem", "reissued.pem");
        var reissuedText = await OpenSslAsync("x509", "-in", "reissued.pem", "-noout", "-ext", "subjectAltName", "-enddate");
        Assert.Contains($"DNS:{host}, DNS:api.{domain}", reissuedText, StringComparison.Ordinal);
        Assert.Equal(await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-enddate"), await OpenSslAsync("x509", "-in", "reissued.pem", "-noout", "-enddate"));

        // A name outside the division's domains is refused, with the reason.
        var refused = await user.PostAsJsonAsync($"/api/v1/certificates/{certificateId}/reissue", new { dnsNames = new[] { "www.elsewhere.example.org" } }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("www.elsewhere.example.org", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        // Revoke for key compromise: every certificate of that key (the renewal and the reissue kept it) is revoked.
        var revoked = await PostAsync<IssuedCertificateInfo>(user, $"/api/v1/certificates/{certificateId}/revoke", new { reason = "KeyCompromise" }, HttpStatusCode.OK);
        Assert.Equal(RevocationReason.KeyCompromise, revoked.RevocationReason);
        foreach (var (file, nonce) in new[] { ("leaf.pem", false), ("leaf.pem", true), ("renewed.pem", true), ("reissued.pem", false) })
        {
            var ocsp = await OcspAsync(issuing.Name, file, nonce);
            Assert.Contains($"{file}: revoked", ocsp, StringComparison.Ordinal);
            Assert.Contains("Reason: keyCompromise", ocsp, StringComparison.Ordinal);
        }

        await File.WriteAllBytesAsync(Path.Combine(_work, "issuing.crl"), await user.GetByteArrayAsync($"/crl/{issuing.Name}.crl", Cancel), Cancel);
        var crl = await OpenSslAsync("crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text");
        var serial = (await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-serial")).Trim()["serial=".Length..];
        Assert.Contains($"Serial Number: {serial}", crl, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", crl, StringComparison.Ordinal);
        await OpenSslAsync("crl", "-inform", "DER", "-in", "issuing.crl", "-out", "issuing-crl.pem");
        var crlCheck = await OpenSslExitAsync("verify", "-crl_check", "-CRLfile", "issuing-crl.pem", "-CAfile", "root.pem", "-untrusted", "chain.pem", "leaf.pem");
        Assert.Contains("certificate revoked", crlCheck, StringComparison.Ordinal);

        // The request's history shows every step.
        var details = (await user.GetFromJsonAsync<RequestDetails>($"/api/v1/requests/{submitted.Id}", Json, Cancel))!;
        Assert.Equal(["request.submit", "request.approve", "request.issue"], details.History.Select(h => h.Action));
    }

    private async Task<string> OcspAsync(string authority, string certificateFile, bool nonce = true)
    {
        await OpenSslAsync("x509", "-in", "chain.pem", "-out", "issuing.pem");
        return await OpenSslAsync(["ocsp", "-issuer", "issuing.pem", "-cert", certificateFile, "-url", $"{_server.BaseAddress.ToString().TrimEnd('/')}/ocsp/{authority}",
            "-CAfile", "root.pem", "-verify_other", "chain.pem", .. nonce ? Array.Empty<string>() : ["-no_nonce"]]);
    }

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    /// <summary>openssl verify exits non-zero for a revoked certificate; its output is what we look at.</summary>
    private async Task<string> OpenSslExitAsync(params string[] arguments)
    {
        try
        {
            return await OpenSslAsync(arguments);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private async Task DownloadAsync(HttpClient client, long certificateId, string format, string file)
    {
        var response = await client.GetAsync($"/api/v1/certificates/{certificateId}/download?format={format}", Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{format}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        await File.WriteAllBytesAsync(Path.Combine(_work, file), await response.Content.ReadAsByteArrayAsync(Cancel), Cancel);
    }

    private static async Task<AuthorityDto> CreateAuthorityAsync(HttpClient admin, object input) =>
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", input, HttpStatusCode.Created);

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        var response = body is null ? await client.PostAsync(path, null, Cancel) : await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteManagedPkiWorkflowTests(SqliteServerFixture fixture) : ManagedPkiWorkflowTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlManagedPkiWorkflowTests(PostgreSqlServerFixture fixture) : ManagedPkiWorkflowTests(fixture), IClassFixture<PostgreSqlServerFixture>;
