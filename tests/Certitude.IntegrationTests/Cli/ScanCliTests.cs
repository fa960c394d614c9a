using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Cli;

/// <summary>
/// <c>certitude scan</c> as a separate process, against loopback only: a real nginx serving a private chain
/// (root → intermediate → leaf, the root never sent), closed ports, and input that must stop the scan before it starts.
/// </summary>
public sealed class ScanCliTests
{
    private static readonly string[] JsonFields =
    [
        "address", "port", "hostName", "startTls", "state", "protocol", "cipherSuite", "supportsTls13", "subject", "issuer", "notAfter",
        "sha256", "chain", "problems", "trust", "error", "handshakeMs",
    ];

    [Fact]
    public async Task Scan_InvalidTargetsPortsAndExclusions_NamesEveryErrorAndScansNothing()
    {
        var result = await CliRunner.RunAsync(["scan", "10.0.0.0/33", "127.0.0.1", "bad_host!!", "-p", "443,70000", "--exclude", "nope", "--retries", "9"],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        foreach (var item in new[] { "10.0.0.0/33", "bad_host!!", "70000", "nope", "--retries" })
        {
            Assert.Contains(item, result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("", result.Stdout);
        Assert.DoesNotContain("Scanned", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ServerWithoutKeyOrDivisionWithoutServer_IsAUsageError()
    {
        var noKey = await CliRunner.RunAsync(["scan", "127.0.0.1", "--server", "http://127.0.0.1:9/"], timeout: TimeSpan.FromSeconds(30));
        var noServer = await CliRunner.RunAsync(["scan", "127.0.0.1", "--division", "3"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("--api-key", noKey.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noServer.ExitCode);
        Assert.Contains("--division", noServer.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Scanned", noKey.Stderr + noServer.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_UploadToAServerThatIsNotThere_ScansThenExitsUnavailable()
    {
        var closed = NginxServer.FreeLoopbackPort();
        var noServer = NginxServer.FreeLoopbackPort();

        var result = await CliRunner.RunAsync(["scan", $"127.0.0.1:{closed}", "--server", $"http://127.0.0.1:{noServer}/", "--api-key", "ctk_test"],
            timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Scanned 1 endpoints", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Cannot reach", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_WithServer_PostsTheResultsAsAnUploadAndPrintsTheReply()
    {
        await using var site = await Site.StartAsync();
        var apiPort = NginxServer.FreeLoopbackPort();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{apiPort}/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var request = (Path: context.Request.Url!.AbsolutePath, Method: context.Request.HttpMethod,
                Authorization: context.Request.Headers["Authorization"], Body: await reader.ReadToEndAsync());
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{\"id\":42,\"divisionId\":3,\"state\":\"Finished\",\"endpointsFound\":1,\"certificates\":1}"u8.ToArray());
            context.Response.Close();
            return request;
        });

        var result = await CliRunner.RunAsync(["scan", $"127.0.0.1:{site.Port}", "--server", $"http://127.0.0.1:{apiPort}", "--api-key", "ctk_test",
            "--division", "3", "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Uploaded 1 results: run 42 (endpointsFound 1, certificates 1).", result.Stderr, StringComparison.Ordinal);
        var request = await received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(("/api/v1/discovery/uploads", "POST", "Bearer ctk_test"), (request.Path, request.Method, request.Authorization));
        var upload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal([$"127.0.0.1:{site.Port}"], upload.GetProperty("targets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, upload.GetProperty("divisionId").GetInt64());
        var dto = Assert.Single(upload.GetProperty("results").EnumerateArray());
        Assert.Equal("127.0.0.1", dto.GetProperty("address").GetString());
        Assert.Equal(site.Port, dto.GetProperty("port").GetInt32());
        Assert.Equal("none", dto.GetProperty("startTls").GetString());
        Assert.StartsWith("TLSv1.", dto.GetProperty("protocol").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, dto.GetProperty("failure").ValueKind);
        Assert.Equal(site.Leaf.RawData, dto.GetProperty("chain")[0].GetBytesFromBase64());
        Assert.Equal(2, dto.GetProperty("chain").GetArrayLength());
    }

    [Fact]
    public async Task Scan_ClosedPort_PrintsNoRowsAndExitsZero()
    {
        var port = NginxServer.FreeLoopbackPort();

        var json = await CliRunner.RunAsync(["scan", $"127.0.0.1:{port}", "--format", "json"], timeout: TimeSpan.FromSeconds(30));
        var table = await CliRunner.RunAsync(["scan", $"127.0.0.1:{port}"], timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(0, json.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(json.Stdout).RootElement.GetArrayLength());
        Assert.Contains("Scanned 1 endpoints", json.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, table.ExitCode);
        Assert.Equal("No TLS endpoints found.", table.Stdout.Trim());
    }

    [Fact]
    public async Task Scan_NginxWithPrivateChain_Json_ReportsTheLeafAndUntrusted()
    {
        await using var site = await Site.StartAsync();

        var result = await CliRunner.RunAsync(["scan", $"127.0.0.1:{site.Port}", "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var rows = JsonDocument.Parse(result.Stdout).RootElement;
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(JsonFields, row.EnumerateObject().Select(p => p.Name));
        Assert.Equal("127.0.0.1", row.GetProperty("address").GetString());
        Assert.Equal(site.Port, row.GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("hostName").ValueKind);
        Assert.Equal("none", row.GetProperty("startTls").GetString());
        Assert.Equal("tls", row.GetProperty("state").GetString());
        Assert.StartsWith("TLSv1.", row.GetProperty("protocol").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(row.GetProperty("cipherSuite").GetString()));
        Assert.Equal("CN=scan.example.test", row.GetProperty("subject").GetString());
        Assert.Equal("CN=Scan Test Issuing CA, O=Certitude Tests", row.GetProperty("issuer").GetString());
        Assert.Equal(site.Leaf.NotAfter.ToUniversalTime(), row.GetProperty("notAfter").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(site.LeafSha256, row.GetProperty("sha256").GetString());
        Assert.Equal([site.LeafSha256, site.IntermediateSha256], row.GetProperty("chain").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("untrusted", row.GetProperty("problems").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("untrusted", row.GetProperty("trust").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("error").ValueKind);
        Assert.True(row.GetProperty("handshakeMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task Scan_NginxWithPrivateChain_Table_ShowsEndpointSubjectExpiryAndProblems()
    {
        await using var site = await Site.StartAsync();

        var result = await CliRunner.RunAsync(["scan", $"127.0.0.1:{site.Port}"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = Assert.Single(result.Stdout.Split('\n'), l => l.Contains($"127.0.0.1:{site.Port}", StringComparison.Ordinal));
        Assert.Contains("CN=scan.example.test", line, StringComparison.Ordinal);
        Assert.Contains("CN=Scan Test Issuing CA", line, StringComparison.Ordinal);
        Assert.Contains(site.Leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
        Assert.Contains("untrusted", line, StringComparison.Ordinal);
        Assert.Contains("Scanned 1 endpoints", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_NginxWithPrivateChain_Csv_HasTheSameFieldsFlat()
    {
        await using var site = await Site.StartAsync();
        var closed = NginxServer.FreeLoopbackPort();

        var result = await CliRunner.RunAsync(["scan", "127.0.0.1", "-p", $"{site.Port},{closed}", "--format", "csv"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(string.Join(',', JsonFields), lines[0]);
        var row = CsvFields(Assert.Single(lines.Skip(1)));
        Assert.Equal(JsonFields.Length, row.Count);
        Assert.Equal("127.0.0.1", row[0]);
        Assert.Equal(site.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), row[1]);
        Assert.Equal("tls", row[4]);
        Assert.Equal(site.LeafSha256, row[11]);
        Assert.Equal($"{site.LeafSha256};{site.IntermediateSha256}", row[12]);
        Assert.Contains("untrusted", row[13].Split(';'));
        Assert.Equal("untrusted", row[14]);
        Assert.Equal("CN=Scan Test Issuing CA, O=Certitude Tests", row[9]);
    }

    [Fact]
    public async Task Scan_Localhost_SendsTheNameAndChecksTheCertificateAgainstIt()
    {
        await using var site = await Site.StartAsync();

        // localhost comes from the hosts file: no query leaves the machine.
        var result = await CliRunner.RunAsync(["scan", $"localhost:{site.Port}", "--format", "json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var row = Assert.Single(JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray(),
            r => r.GetProperty("address").GetString() == "127.0.0.1");
        Assert.Equal("localhost", row.GetProperty("hostName").GetString());
        Assert.Equal(site.LeafSha256, row.GetProperty("sha256").GetString());
        Assert.Contains("hostname-mismatch", row.GetProperty("problems").EnumerateArray().Select(e => e.GetString()));
    }

    /// <summary>The fields of one RFC 4180 line (quoted fields may hold commas and doubled quotes).</summary>
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>nginx on a loopback port serving a leaf for scan.example.test and its intermediate; the root is not sent.</summary>
    private sealed class Site : IAsyncDisposable
    {
        private readonly NginxServer _nginx;
        private readonly X509Certificate2 _root;
        private readonly X509Certificate2 _intermediate;

        private Site(NginxServer nginx, X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 leaf)
        {
            _nginx = nginx;
            _root = root;
            _intermediate = intermediate;
            Leaf = leaf;
        }

        public int Port => _nginx.Port;

        public X509Certificate2 Leaf { get; }

        public string LeafSha256 => Convert.ToHexStringLower(SHA256.HashData(Leaf.RawData));

        public string IntermediateSha256 => Convert.ToHexStringLower(SHA256.HashData(_intermediate.RawData));

        public static async Task<Site> StartAsync()
        {
            var root = CertificateFactory.CreateRoot("Scan Test Root");
            var intermediate = CertificateFactory.CreateIntermediate(root, "Scan Test Issuing CA");
            var leaf = CertificateFactory.CreateLeaf(intermediate, "scan.example.test");
            using var key = leaf.GetECDsaPrivateKey()!;
            var nginx = await NginxServer.StartAsync(CertificateFactory.ToPem(leaf, intermediate), key.ExportPkcs8PrivateKeyPem());
            return new Site(nginx, root, intermediate, leaf);
        }

        public async ValueTask DisposeAsync()
        {
            await _nginx.DisposeAsync();
            Leaf.Dispose();
            _intermediate.Dispose();
            _root.Dispose();
        }
    }
}
