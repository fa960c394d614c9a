using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Playwright;

namespace Certitude.UiTests;

/// <summary>
/// The judgement of a real browser: a certificate Certitude issued for an openssl CSR, served by nginx with its chain,
/// loads in Chromium without a certificate error once Certitude's root is trusted the way people trust a private
/// root on Linux — in the NSS database under <c>$HOME/.pki/nssdb</c>, added with certutil (libnss3-tools). The same
/// page in a Chromium whose NSS database lacks the root fails with a certificate error, so the first half can fail.
/// No verification switch is turned off (no --ignore-certificate-errors*, no ignoreHTTPSErrors).
/// </summary>
public sealed class IssuedCertificateTrustTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string _work = Directory.CreateTempSubdirectory("certitude-ui-trust-").FullName;
    private CertitudeServer? _server;
    private IPlaywright? _playwright;

    private CertitudeServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await CertitudeServer.StartAsync(DatabaseProvider.Sqlite);
        _playwright = await Playwright.CreateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task IssuedCertificateOnNginx_RootInNssDatabase_ChromiumLoadsWithoutCertificateError()
    {
        using var admin = Server.CreateClient();
        var root = await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "trust-root", commonName = "Trust Test Root", keyType = "EcP384" });
        var issuing = await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "trust-issuing", commonName = "Trust Test Issuing", parent = root.Name });
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = "Shop", domains = new[] { "shop.example.com" }, approvalPolicy = "AutoApprove", defaultAuthority = issuing.Name,
        });

        // A CSR from openssl, its key kept here; auto-approved, so issued at once.
        const string host = "www.shop.example.com";
        await OpenSslAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "request.csr",
            "-subj", $"/CN={host}", "-addext", $"subjectAltName=DNS:{host}");
        var issued = await PostAsync<RequestDto>(admin, "/api/v1/requests", new { divisionId = division.Id, csr = await ReadAsync("request.csr") });
        Assert.Equal(RequestState.Issued, issued.State);
        var fullChain = await admin.GetStringAsync($"/api/v1/certificates/{issued.CertificateId}/download?format=fullchain", Cancel);
        await File.WriteAllBytesAsync(Path.Combine(_work, "root.der"), await admin.GetByteArrayAsync($"/ca/{root.Name}.crt", Cancel), Cancel);
        await OpenSslAsync("x509", "-inform", "DER", "-in", "root.der", "-out", "root.pem");

        // Two HOMEs, each with an NSS database: one trusts the root for TLS servers ("C,,"), the other is empty.
        var trusting = await HomeWithNssDatabaseAsync("trusting", trustRoot: true);
        var empty = await HomeWithNssDatabaseAsync("empty", trustRoot: false);
        Assert.Contains("root", await CertUtilAsync("-L", "-d", $"sql:{Path.Combine(trusting, ".pki", "nssdb")}"), StringComparison.Ordinal);

        await using var nginx = await NginxServer.StartAsync(fullChain, await ReadAsync("key.pem"));
        var url = $"https://{host}:{nginx.Port}/";
        // The name goes to nginx on loopback; any other name fails at once instead of reaching the system resolver.
        var resolverRules = $"--host-resolver-rules=MAP {host} 127.0.0.1, MAP * ~NOTFOUND";

        await using (var browser = await Chromium.LaunchAsync(_playwright!, trusting, resolverRules))
        {
            var context = await browser.NewContextAsync();
            var offMachine = await Chromium.KeepOnMachineAsync(context, host);
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(Chromium.Timeout);
            // Playwright throws for a navigation that ends in net::ERR_CERT_*.
            var response = await page.GotoAsync(url) ?? throw new InvalidOperationException("no response");
            Assert.Equal(200, response.Status);
            Assert.Equal(NginxServer.Body, (await page.Locator("body").InnerTextAsync()).Trim());
            var security = await response.SecurityDetailsAsync();
            Assert.Equal(host, security?.SubjectName);
            Assert.Equal("Trust Test Issuing", security?.Issuer);
            await Chromium.ScreenshotAsync(page, "pki-08-nginx-trusted");
            Assert.Empty(offMachine);
        }

        await using (var browser = await Chromium.LaunchAsync(_playwright!, empty, resolverRules))
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(Chromium.Timeout);
            var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(url));
            Assert.Contains("net::ERR_CERT_AUTHORITY_INVALID", refused.Message, StringComparison.Ordinal);
        }
    }

    private async Task<string> HomeWithNssDatabaseAsync(string name, bool trustRoot)
    {
        var home = Path.Combine(_work, name);
        var database = Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(database);
        await CertUtilAsync("-N", "-d", $"sql:{database}", "--empty-password");
        if (trustRoot)
        {
            await CertUtilAsync("-A", "-d", $"sql:{database}", "-n", "root", "-t", "C,,", "-i", Path.Combine(_work, "root.pem"));
        }

        return home;
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private Task<string> ReadAsync(string file) => File.ReadAllTextAsync(Path.Combine(_work, file), Cancel);

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    private Task<string> CertUtilAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/certutil", arguments, _work);
}
