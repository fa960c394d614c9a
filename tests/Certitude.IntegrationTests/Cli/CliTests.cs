using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.Data;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Cli;

/// <summary>The real <c>certitude</c> executable: local data folder mode and remote server mode.</summary>
public sealed class CliTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Import_LocalFolderWithBadFiles_ImportsTheRestAndExitsNonZero()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var folder = Directory.CreateTempSubdirectory("certitude-cli-").FullName;
        try
        {
            var root = CertificateFactory.CreateRoot("CLI Root");
            var leaf = CertificateFactory.CreateLeaf(root, "cli.example.test");
            Directory.CreateDirectory(Path.Combine(folder, "nested", "deeper"));
            await File.WriteAllTextAsync(Path.Combine(folder, "root.pem"), CertificateFactory.ToPem(root), TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(folder, "nested", "deeper", "leaf.der"), leaf.RawData, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "nested", "notes.txt"), "just some text", TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(folder, "empty.crt"), [], TestContext.Current.CancellationToken);

            var data = new[] { "--data", database.Storage.DataDirectory };
            var import = await CliRunner.RunAsync(["import", folder, .. data]);
            Assert.Equal(1, import.ExitCode);
            Assert.Contains("notes.txt", import.Stderr, StringComparison.Ordinal);
            Assert.Contains("empty.crt: file is empty", import.Stderr, StringComparison.Ordinal);
            Assert.Contains("4 files: 2 certificates (2 new), 2 files failed", import.Stdout, StringComparison.Ordinal);

            var json = await CliRunner.RunAsync(["certs", "list", "--format", "json", .. data]);
            Assert.Equal(0, json.ExitCode);
            var list = JsonDocument.Parse(json.Stdout).RootElement;
            Assert.Equal(2, list.GetArrayLength());

            var csv = await CliRunner.RunAsync(["certs", "list", "--format", "csv", "--limit", "1", .. data]);
            Assert.Equal(2, csv.Stdout.Trim().Split('\n').Length);
            Assert.StartsWith("id,common_name,", csv.Stdout, StringComparison.Ordinal);

            var show = await CliRunner.RunAsync(["certs", "show", leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), .. data]);
            Assert.Equal(0, show.ExitCode);
            Assert.Contains("cli.example.test", show.Stdout, StringComparison.Ordinal);
            Assert.Contains("CLI Root", show.Stdout, StringComparison.Ordinal);

            var missing = await CliRunner.RunAsync(["certs", "show", "424242", .. data]);
            Assert.Equal(3, missing.ExitCode);
            Assert.Contains("No certificate", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ImportAndList_RemoteServer_UseTheApiWithTheKey()
    {
        var server = fixture.Server;
        var file = Path.Combine(Directory.CreateTempSubdirectory("certitude-cli-remote-").FullName, "remote.pem");
        var marker = Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(file, CertificateFactory.ToPem(CertificateFactory.CreateLeaf(null, $"remote-{marker}.example.test")), TestContext.Current.CancellationToken);
        var remote = new[] { "--server", server.BaseAddress.ToString(), "--api-key", server.AdminApiKey };

        var import = await CliRunner.RunAsync(["import", file, .. remote]);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("1 files: 1 certificates (1 new), 0 files failed", import.Stdout, StringComparison.Ordinal);

        var list = await CliRunner.RunAsync(["certs", "list", "--search", $"remote-{marker}", "--format", "json"],
            new Dictionary<string, string?> { ["CERTITUDE_SERVER"] = server.BaseAddress.ToString(), ["CERTITUDE_API_KEY"] = server.AdminApiKey });
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength());

        var refused = await CliRunner.RunAsync(["certs", "list", "--server", server.BaseAddress.ToString(), "--api-key", "ctk_wrong"]);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("401", refused.Stderr, StringComparison.Ordinal);

        var noKey = await CliRunner.RunAsync(["certs", "list", "--server", server.BaseAddress.ToString()]);
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("API key", noKey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePemAndDelete_RemoteServer_ChangeTheInventory()
    {
        var server = fixture.Server;
        var file = Path.Combine(Directory.CreateTempSubdirectory("certitude-cli-update-").FullName, "update.pem");
        var marker = Guid.NewGuid().ToString("N")[..8];
        var leaf = CertificateFactory.CreateLeaf(null, $"update-{marker}.example.test");
        await File.WriteAllTextAsync(file, CertificateFactory.ToPem(leaf), TestContext.Current.CancellationToken);
        var remote = new[] { "--server", server.BaseAddress.ToString(), "--api-key", server.AdminApiKey };
        var fingerprint = leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(0, (await CliRunner.RunAsync(["import", file, .. remote])).ExitCode);

        var update = await CliRunner.RunAsync(["certs", "update", fingerprint, "--owner", "bob@example.test", "--tag", "edge", "--tag", "Prod", "--format", "json", .. remote]);
        Assert.Equal(0, update.ExitCode);
        var details = JsonDocument.Parse(update.Stdout).RootElement;
        Assert.Equal("bob@example.test", details.GetProperty("summary").GetProperty("owner").GetString());
        Assert.Equal(["edge", "prod"], details.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var badTag = await CliRunner.RunAsync(["certs", "update", fingerprint, "--tag", "no spaces allowed", .. remote]);
        Assert.Equal(2, badTag.ExitCode);
        Assert.Contains("not valid", badTag.Stderr, StringComparison.Ordinal);

        var pem = await CliRunner.RunAsync(["certs", "pem", fingerprint, .. remote]);
        Assert.Equal(0, pem.ExitCode);
        Assert.Equal(leaf.RawData, System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem.Stdout).RawData);

        Assert.Equal(0, (await CliRunner.RunAsync(["certs", "delete", fingerprint, .. remote])).ExitCode);
        Assert.Equal(3, (await CliRunner.RunAsync(["certs", "show", fingerprint, .. remote])).ExitCode);
    }

    [Fact]
    public async Task Import_SystemTrustStore_ShowsEveryRootWithCorrectFacts()
    {
        // The "done when" of the inventory: the real-world CA store, imported by the CLI, is all there with correct fields.
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile("/etc/ssl/certs/ca-certificates.crt");
        var expected = bundle.DistinctBy(c => c.GetCertHashString(HashAlgorithmName.SHA256)).ToList();
        Assert.True(expected.Count > 100, "the ca-certificates package should provide the system store");

        var server = fixture.Server;
        var import = await CliRunner.RunAsync(["import", "/etc/ssl/certs", "--server", server.BaseAddress.ToString(), "--api-key", server.AdminApiKey]);
        Assert.Contains(" files: ", import.Stdout, StringComparison.Ordinal);

        using var client = server.CreateClient();
        foreach (var certificate in expected)
        {
            var fingerprint = certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
            var details = await client.GetFromJsonAsync<JsonElement>($"/api/v1/certificates/{fingerprint}", TestContext.Current.CancellationToken);
            var summary = details.GetProperty("summary");
            Assert.Equal(certificate.NotAfter.ToUniversalTime(), summary.GetProperty("notAfter").GetDateTimeOffset().UtcDateTime);
            Assert.Equal(certificate.NotBefore.ToUniversalTime(), summary.GetProperty("notBefore").GetDateTimeOffset().UtcDateTime);
            Assert.Equal(certificate.SerialNumber.ToLowerInvariant().TrimStart('0'), summary.GetProperty("serialNumber").GetString()!.TrimStart('0'));
            Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA1).ToLowerInvariant(), details.GetProperty("sha1Fingerprint").GetString());
            Assert.Equal(certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData), summary.GetProperty("isSelfSigned").GetBoolean());
            var (algorithm, size) = certificate.GetRSAPublicKey() is { } rsa ? ("RSA", rsa.KeySize) : ("EC", certificate.GetECDsaPublicKey()!.KeySize);
            Assert.Equal(algorithm, summary.GetProperty("keyAlgorithm").GetString());
            Assert.Equal(size, summary.GetProperty("keySize").GetInt32());
        }
    }

    [Fact]
    public async Task Import_HostileFilesAmongGoodOnes_ReportsEachAndImportsTheRest()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var folder = Directory.CreateTempSubdirectory("certitude-cli-hostile-").FullName;
        try
        {
            var root = CertificateFactory.CreateRoot("Hostile Batch Root");
            var leaf = CertificateFactory.CreateLeaf(root, "good.example.test");
            await File.WriteAllTextAsync(Path.Combine(folder, "good.pem"), CertificateFactory.ToPem(leaf), TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(folder, "protected.p12"), leaf.Export(X509ContentType.Pkcs12, "right password"), TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(folder, "truncated.der"), root.RawData[..(root.RawData.Length / 2)], TestContext.Current.CancellationToken);
            await using (var huge = File.Create(Path.Combine(folder, "huge.bin")))
            {
                var chunk = new byte[1024 * 1024];
                var random = new Random(7);
                for (var i = 0; i < 100; i++)
                {
                    random.NextBytes(chunk);
                    await huge.WriteAsync(chunk, TestContext.Current.CancellationToken);
                }
            }

            var result = await CliRunner.RunAsync(["import", folder, "--password", "wrong password", "--data", database.Storage.DataDirectory]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("protected.p12: wrong PKCS#12 password", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("huge.bin: file is larger than", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("truncated.der: ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("4 files: 1 certificates (1 new), 3 files failed", result.Stdout, StringComparison.Ordinal);

            var retry = await CliRunner.RunAsync(["import", Path.Combine(folder, "protected.p12"), "--password", "right password", "--data", database.Storage.DataDirectory]);
            Assert.Equal(0, retry.ExitCode);
            Assert.Contains("1 files: 1 certificates (0 new), 0 files failed", retry.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task DivisionsUsersAndAudit_LocalAndRemote_ManageTheOrganization()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var data = new[] { "--data", database.Storage.DataDirectory };
        var list = await CliRunner.RunAsync(["divisions", "list", "--format", "json", .. data]);
        Assert.Equal(0, list.ExitCode);
        var root = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single().GetProperty("id").GetInt64();

        var ops = await CliRunner.RunAsync(["divisions", "create", "Operations", "--parent", $"{root}", "--domain", "ops.example.com", "--format", "json", .. data]);
        Assert.Equal(0, ops.ExitCode);
        var opsId = JsonDocument.Parse(ops.Stdout).RootElement.GetProperty("id").GetInt64();
        var cycle = await CliRunner.RunAsync(["divisions", "move", $"{opsId}", "--to", $"{opsId}", .. data]);
        Assert.Equal(2, cycle.ExitCode);
        Assert.Contains("under itself", cycle.Stderr, StringComparison.Ordinal);
        var text = await CliRunner.RunAsync(["divisions", "list", .. data]);
        Assert.Contains("Organization / Operations", text.Stdout, StringComparison.Ordinal);

        var verify = await CliRunner.RunAsync(["audit", "verify", .. data]);
        Assert.Equal(0, verify.ExitCode);
        var log = await CliRunner.RunAsync(["audit", "list", "--action", "division.", "--format", "csv", .. data]);
        Assert.Contains("division.create", log.Stdout, StringComparison.Ordinal);
        Assert.Contains("cli:", log.Stdout, StringComparison.Ordinal);

        var server = fixture.Server;
        var remote = new[] { "--server", server.BaseAddress.ToString(), "--api-key", server.AdminApiKey };
        var remoteRoot = JsonDocument.Parse((await CliRunner.RunAsync(["divisions", "list", "--format", "json", .. remote])).Stdout)
            .RootElement.EnumerateArray().Single(d => d.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetInt64();
        var marker = Guid.NewGuid().ToString("N")[..6];
        var created = await CliRunner.RunAsync(["users", "create", $"carol-{marker}", "--division", $"{remoteRoot}", "--role", "Auditor", .. remote]);
        Assert.Equal(0, created.ExitCode);
        Assert.True(created.Stdout.Trim().Length >= 12, "the one-time password is printed");
        var users = await CliRunner.RunAsync(["users", "list", .. remote]);
        Assert.Contains($"carol-{marker}", users.Stdout, StringComparison.Ordinal);
        Assert.Contains("Auditor @ Organization", users.Stdout, StringComparison.Ordinal);
        var invite = await CliRunner.RunAsync(["users", "invite", $"guest-{marker}@example.test", "--division", $"{remoteRoot}", .. remote]);
        Assert.Equal(0, invite.ExitCode);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/invite/", invite.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_EveryCommand_PrintsUsage()
    {
        foreach (var command in new[] { new[] { "--help" }, ["import", "--help"], ["certs", "list", "--help"], ["certs", "show", "--help"], ["serve", "--help"], ["apikeys", "create", "--help"], ["divisions", "create", "--help"], ["users", "invite", "--help"], ["audit", "verify", "--help"], ["sso", "set", "--help"] })
        {
            var result = await CliRunner.RunAsync(command);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Usage", result.Stdout, StringComparison.OrdinalIgnoreCase);
        }
    }
}
