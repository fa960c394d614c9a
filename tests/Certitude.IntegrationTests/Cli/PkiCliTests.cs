using System.Globalization;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Cli;

/// <summary>
/// The real <c>certitude</c> executable driving the managed PKI (docs/pki.md): CAs, requests, approvals, downloads,
/// renew, reissue, revoke; on a local data folder and against a server. Every certificate is judged by openssl.
/// </summary>
public sealed class PkiCliTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>, IDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-pki-cli-").FullName;

    [Fact]
    public async Task LocalDataFolder_CaRequestApproveDownloadRenewReissueRevoke_VerifiedByOpenSsl()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string[] data = ["--data", database.Storage.DataDirectory];
        const string domain = "cli.example.com";

        await RunAsync(["ca", "create", "cli-root", "--cn", "CLI Root CA", "--org", "Example Corp", "--key", "EcP384", .. data]);
        await RunAsync(["ca", "create", "cli-issuing", "--cn", "CLI Issuing CA", "--parent", "cli-root", .. data]);
        var authorities = Json(await RunAsync(["ca", "list", "--format", "json", .. data])).EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(2, authorities.Count);
        Assert.False(authorities["cli-root"].GetProperty("isIssuing").GetBoolean());
        Assert.Equal(JsonValueKind.Null, authorities["cli-root"].GetProperty("parent").ValueKind);
        Assert.True(authorities["cli-issuing"].GetProperty("isIssuing").GetBoolean());
        Assert.Equal("cli-root", authorities["cli-issuing"].GetProperty("parent").GetString());
        Assert.Equal("EC P-384", authorities["cli-root"].GetProperty("keyAlgorithm").GetString());

        var division = await CreateDivisionAsync(data, "Web", domain, ApprovalPolicy.OneApprover);

        // A CSR from openssl, pending until approved.
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "request.csr",
            "-subj", $"/CN=www.{domain}", "-addext", $"subjectAltName=DNS:www.{domain}");
        var submitted = Json(await RunAsync(["request", "new", "--csr", Path.Combine(_work, "request.csr"), "--division", division, "--dns", $"api.{domain}",
            "--comment", "front end", "--format", "json", .. data]));
        Assert.Equal("Pending", submitted.GetProperty("state").GetString());
        Assert.Equal([$"DNS:www.{domain}", $"DNS:api.{domain}"], submitted.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        var requestId = Id(submitted);

        var queue = Json(await RunAsync(["request", "list", "--queue", "--format", "json", .. data]));
        Assert.Equal(JsonValueKind.Array, queue.ValueKind);
        Assert.Contains(queue.EnumerateArray(), r => Id(r) == requestId);
        Assert.Contains($"{requestId}  Pending", await RunAsync(["request", "list", "--queue", .. data]), StringComparison.Ordinal);

        var approved = Json(await RunAsync(["request", "approve", requestId, "--format", "json", .. data]));
        Assert.Equal("Issued", approved.GetProperty("state").GetString());
        var certificateId = approved.GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Empty(Json(await RunAsync(["request", "list", "--queue", "--format", "json", .. data])).EnumerateArray());

        // Downloads: PEM, full chain, PKCS#7; the root from its own inventory record. openssl verifies the chain.
        var rootCertificate = authorities["cli-root"].GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);
        await RunAsync(["cert", "download", rootCertificate, "--format", "pem", "-o", Path.Combine(_work, "root.pem"), .. data]);
        await RunAsync(["cert", "download", certificateId, "--format", "pem", "-o", Path.Combine(_work, "leaf.pem"), .. data]);
        await RunAsync(["cert", "download", certificateId, "--format", "fullchain", "-o", Path.Combine(_work, "fullchain.pem"), .. data]);
        await RunAsync(["cert", "download", certificateId, "--format", "p7b", "-o", Path.Combine(_work, "bundle.p7b"), .. data]);
        Assert.Contains("leaf.pem: OK", await OpenSslAsync("verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "fullchain.pem", "leaf.pem"), StringComparison.Ordinal);
        Assert.Contains("fullchain.pem: OK", await OpenSslAsync("verify", "-CAfile", "root.pem", "-untrusted", "fullchain.pem", "fullchain.pem"), StringComparison.Ordinal);
        var bundle = await OpenSslAsync("pkcs7", "-inform", "DER", "-in", "bundle.p7b", "-print_certs", "-noout");
        Assert.Contains($"subject=CN = www.{domain}", bundle, StringComparison.Ordinal);
        Assert.Contains("subject=CN = CLI Issuing CA", bundle, StringComparison.Ordinal);
        var rootSubject = bundle.Split('\n').Single(l => l.StartsWith("subject=", StringComparison.Ordinal) && l.Contains("CN = CLI Root CA", StringComparison.Ordinal));
        Assert.Contains("O = Example Corp", rootSubject, StringComparison.Ordinal);
        Assert.Contains($"DNS:www.{domain}, DNS:api.{domain}", await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-ext", "subjectAltName"), StringComparison.Ordinal);

        // Renew (same key: none given), then approve: a new certificate with the same names.
        var renewal = Json(await RunAsync(["cert", "renew", certificateId, "--format", "json", .. data]));
        Assert.Equal(("Renewal", "Pending"), (renewal.GetProperty("kind").GetString(), renewal.GetProperty("state").GetString()));
        var renewed = Json(await RunAsync(["request", "approve", Id(renewal), "--format", "json", .. data])).GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.NotEqual(certificateId, renewed);

        // Reissue with other names: both names, the original's end date.
        var reissue = Json(await RunAsync(["cert", "reissue", certificateId, "--dns", $"www.{domain}", "--dns", $"shop.{domain}", "--format", "json", .. data]));
        Assert.Equal("Reissue", reissue.GetProperty("kind").GetString());
        var reissued = Json(await RunAsync(["request", "approve", Id(reissue), "--format", "json", .. data])).GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);
        await RunAsync(["cert", "download", reissued, "-o", Path.Combine(_work, "reissued.pem"), .. data]);
        Assert.Contains("reissued.pem: OK", await OpenSslAsync("verify", "-CAfile", "root.pem", "-untrusted", "fullchain.pem", "reissued.pem"), StringComparison.Ordinal);
        Assert.Contains($"DNS:www.{domain}, DNS:shop.{domain}", await OpenSslAsync("x509", "-in", "reissued.pem", "-noout", "-ext", "subjectAltName"), StringComparison.Ordinal);
        Assert.Equal(await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-enddate"), await OpenSslAsync("x509", "-in", "reissued.pem", "-noout", "-enddate"));

        // Key compromise revokes every certificate of the key: the renewal (same key) is revoked with it.
        var serial = (await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-serial")).Trim()["serial=".Length..];
        var revoked = await RunAsync(["cert", "revoke", certificateId, "--reason", "KeyCompromise", .. data]);
        Assert.Contains($"Revoked certificate {certificateId}", revoked, StringComparison.Ordinal);
        Assert.Contains(serial, revoked, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("KeyCompromise", revoked, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync(["cert", "revoke", renewed, "--reason", "Superseded", .. data], timeout: CliTimeout);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("was revoked on", again.Stderr, StringComparison.Ordinal);

        // Bad input: a CSR that is garbage (binary or PEM-armoured), a CSR file that is not there.
        await File.WriteAllBytesAsync(Path.Combine(_work, "garbage.csr"), [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))], Cancel);
        await File.WriteAllTextAsync(Path.Combine(_work, "armoured.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n", Cancel);
        foreach (var file in new[] { "garbage.csr", "armoured.csr" })
        {
            var refused = await CliRunner.RunAsync(["request", "new", "--csr", Path.Combine(_work, file), "--division", division, .. data], timeout: CliTimeout);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("certificate signing request", refused.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", refused.Stderr, StringComparison.Ordinal);
        }

        var missing = await CliRunner.RunAsync(["request", "new", "--csr", Path.Combine(_work, "nowhere.csr"), "--division", division, .. data], timeout: CliTimeout);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nowhere.csr: no such file", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateKey_PfxDownload_OpensWithOpenSslAndOnlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string[] data = ["--data", database.Storage.DataDirectory];
        const string domain = "keys.example.com";
        await RunAsync(["ca", "create", "key-root", "--cn", "Key Root CA", .. data]);
        await RunAsync(["ca", "create", "key-issuing", "--cn", "Key Issuing CA", "--parent", "key-root", "--key", "Rsa2048", .. data]);
        var division = await CreateDivisionAsync(data, "Keys", domain, ApprovalPolicy.AutoApprove);

        var issued = Json(await RunAsync(["request", "new", "--generate-key", "EcP256", "--dns", $"app.{domain}", "--division", division, "--format", "json", .. data]));
        Assert.Equal("Issued", issued.GetProperty("state").GetString());
        Assert.True(issued.GetProperty("serverGeneratedKey").GetBoolean());
        var certificateId = issued.GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);

        const string password = "correct horse battery";
        await RunAsync(["cert", "download", certificateId, "--format", "pfx", "--password", password, "-o", Path.Combine(_work, "app.pfx"), .. data]);
        var opened = await OpenSslAsync("pkcs12", "-in", "app.pfx", "-nodes", "-passin", $"pass:{password}");
        Assert.Contains("-----BEGIN PRIVATE KEY-----", opened, StringComparison.Ordinal);
        Assert.Contains($"subject=CN = app.{domain}", opened, StringComparison.Ordinal);
        Assert.Contains("subject=CN = Key Issuing CA", opened, StringComparison.Ordinal);
        // The key in the file is the certificate's: same public key.
        await OpenSslAsync("pkcs12", "-in", "app.pfx", "-nocerts", "-nodes", "-passin", $"pass:{password}", "-out", "app.key");
        await OpenSslAsync("pkcs12", "-in", "app.pfx", "-clcerts", "-nokeys", "-passin", $"pass:{password}", "-out", "app-leaf.pem");
        Assert.Contains($"CN = app.{domain}", await OpenSslAsync("x509", "-in", "app-leaf.pem", "-noout", "-subject"), StringComparison.Ordinal);
        Assert.Equal(await OpenSslAsync("pkey", "-in", "app.key", "-pubout"), await OpenSslAsync("x509", "-in", "app-leaf.pem", "-noout", "-pubkey"));

        var second = await CliRunner.RunAsync(["cert", "download", certificateId, "--format", "pfx", "--password", password, "-o", Path.Combine(_work, "again.pfx"), .. data],
            timeout: CliTimeout);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("You downloaded this private key already", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work, "again.pfx")));

        // PEM downloads of the certificate itself stay available.
        await RunAsync(["cert", "download", certificateId, "--format", "pem", "-o", Path.Combine(_work, "app.pem"), .. data]);
        Assert.Contains($"CN = app.{domain}", await OpenSslAsync("x509", "-in", "app.pem", "-noout", "-subject"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaImport_OpenSslMadeCa_IssuesCertificatesUnderIt()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string[] data = ["--data", database.Storage.DataDirectory];
        const string domain = "legacy.example.com";
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
            "-subj", "/O=Legacy Corp/CN=Legacy CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

        var imported = Json(await RunAsync(["ca", "import", "legacy", "--cert", Path.Combine(_work, "ca.pem"), "--key", Path.Combine(_work, "ca.key"), "--format", "json", .. data]))
            .EnumerateArray().Single();
        Assert.True(imported.GetProperty("isIssuing").GetBoolean());
        Assert.Contains("CN=Legacy CA", imported.GetProperty("subject").GetString(), StringComparison.Ordinal);

        var division = await CreateDivisionAsync(data, "Legacy", domain, ApprovalPolicy.AutoApprove);
        await OpenSslAsync("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", $"/CN=old.{domain}");
        var issued = Json(await RunAsync(["request", "new", "--csr", Path.Combine(_work, "leaf.csr"), "--division", division, "--format", "json", .. data]));
        Assert.Equal(("Issued", "legacy"), (issued.GetProperty("state").GetString(), issued.GetProperty("authority").GetString()));
        var certificateId = issued.GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);
        await RunAsync(["cert", "download", certificateId, "--format", "fullchain", "-o", Path.Combine(_work, "leaf.pem"), .. data]);

        Assert.Contains("leaf.pem: OK", await OpenSslAsync("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", "ca.pem", "leaf.pem"), StringComparison.Ordinal);
        Assert.Contains("issuer=O = Legacy Corp, CN = Legacy CA", await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-issuer"), StringComparison.Ordinal);

        // The key in the certificate is the CSR's.
        Assert.Equal(await OpenSslAsync("pkey", "-in", "leaf.key", "-pubout"), await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-pubkey"));
    }

    [Fact]
    public async Task RemoteServer_RequestApproveDownload_GoThroughTheApi()
    {
        var server = fixture.Server;
        string[] admin = ["--server", server.BaseAddress.ToString(), "--api-key", server.AdminApiKey];
        var marker = Guid.NewGuid().ToString("N")[..8];
        var domain = $"remote-{marker}.example.com";
        await RunAsync(["ca", "create", $"remote-root-{marker}", "--cn", $"Remote Root {marker}", .. admin]);
        await RunAsync(["ca", "create", $"remote-issuing-{marker}", "--cn", $"Remote Issuing {marker}", "--parent", $"remote-root-{marker}", .. admin]);
        var division = await CreateDivisionAsync(admin, $"Remote {marker}", domain, ApprovalPolicy.OneApprover);

        // The administrator requests; a manager of the division approves (nobody approves their own request).
        var manager = Json(await RunAsync(["users", "create", $"approver-{marker}", "--division", division, "--role", "Manager", "--format", "json", .. admin]));
        var managerKey = await server.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(manager.GetProperty("user").GetProperty("id").GetString()!, new CreateApiKeyRequest { Name = "cli test" }, null, Cancel);
        string[] approver = ["--server", server.BaseAddress.ToString(), "--api-key", managerKey.Key];

        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "request.csr",
            "-subj", $"/CN=www.{domain}");
        var submitted = Json(await RunAsync(["request", "new", "--csr", Path.Combine(_work, "request.csr"), "--division", division, "--format", "json", .. admin]));
        Assert.Equal("Pending", submitted.GetProperty("state").GetString());
        var requestId = Id(submitted);

        var ownApproval = await CliRunner.RunAsync(["request", "approve", requestId, .. admin], timeout: CliTimeout);
        Assert.NotEqual(0, ownApproval.ExitCode);
        Assert.Contains("403", ownApproval.Stderr, StringComparison.Ordinal);

        var queue = Json(await RunAsync(["request", "list", "--queue", "--format", "json", .. approver]));
        Assert.Contains(queue.EnumerateArray(), r => Id(r) == requestId);
        var approved = Json(await RunAsync(["request", "approve", requestId, "--format", "json", .. approver]));
        Assert.Equal("Issued", approved.GetProperty("state").GetString());
        var certificateId = approved.GetProperty("certificateId").GetInt64().ToString(CultureInfo.InvariantCulture);

        await RunAsync(["cert", "download", certificateId, "--format", "fullchain", "-o", Path.Combine(_work, "fullchain.pem"), .. approver]);
        using var http = server.CreateAnonymousClient();
        await File.WriteAllBytesAsync(Path.Combine(_work, "root.der"), await http.GetByteArrayAsync($"/ca/remote-root-{marker}.crt", Cancel), Cancel);
        await OpenSslAsync("x509", "-inform", "DER", "-in", "root.der", "-out", "root.pem");
        Assert.Contains("fullchain.pem: OK", await OpenSslAsync("verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "fullchain.pem", "fullchain.pem"),
            StringComparison.Ordinal);
    }

    private static async Task<string> CreateDivisionAsync(string[] target, string name, string domain, ApprovalPolicy policy)
    {
        var organization = Json(await RunAsync(["divisions", "list", "--format", "json", .. target])).EnumerateArray()
            .Single(d => d.GetProperty("parentId").ValueKind == JsonValueKind.Null);
        var created = Json(await RunAsync(["divisions", "create", name, "--parent", Id(organization), "--domain", domain, "--approval", policy.ToString(), "--format", "json", .. target]));
        return Id(created);
    }

    private static async Task<string> RunAsync(string[] arguments)
    {
        var result = await CliRunner.RunAsync(arguments, timeout: CliTimeout);
        Assert.True(result.ExitCode == 0, $"certitude {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Stderr}");
        return result.Stdout;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static string Id(JsonElement element) => element.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }
}
