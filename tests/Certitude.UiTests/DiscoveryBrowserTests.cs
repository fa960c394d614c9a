using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certitude.Data;
using Certitude.Features.Discovery;
using Certitude.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Certitude.UiTests;

/// <summary>
/// Discovery as an administrator uses it in a real browser: a scan whose target is malformed, and one outside the
/// allowed ranges, are refused on the form and not saved; a scan of a real nginx on loopback is saved from the form,
/// run with Run now, watched to completion on the run page; its endpoint is listed with its subject, its detail page
/// shows the observation of that run, the rogue tab lists it (its CA is not approved), the settings page finds
/// that CA in the inventory and approves it, and the agents page makes an enrollment token. Screenshots go to artifacts/screenshots/discovery-*.png.
/// </summary>
public sealed partial class DiscoveryBrowserTests : IAsyncLifetime
{
    private const string NewPassword = "Correct-Horse-Battery-9";
    private const string SiteName = "discovery.example.test";
    private const string IssuingName = "Discovery Test Issuing CA";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CertitudeServer? _server;
    private NginxServer? _nginx;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private CertitudeServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await CertitudeServer.StartAsync(DatabaseProvider.Sqlite);
        using var root = CertificateFactory.CreateRoot("Discovery Test Root");
        using var intermediate = CertificateFactory.CreateIntermediate(root, IssuingName);
        using var leaf = CertificateFactory.CreateLeaf(intermediate, SiteName);
        using var key = leaf.GetECDsaPrivateKey()!;
        _nginx = await NginxServer.StartAsync(CertificateFactory.ToPem(leaf, intermediate), key.ExportPkcs8PrivateKeyPem());
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ScanFromTheForm_RunNowOverLoopbackNginx_ShowsProgressEndpointAndHistory()
    {
        using var api = Server.CreateClient();
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 },
        });
        var offMachine = await Chromium.KeepOnMachineAsync(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Chromium.Timeout);
        await SignInAsAdminAsync(page);
        await Expect(page.Locator(".mud-navmenu").GetByRole(AriaRole.Link, new() { Name = "Agents" })).ToBeVisibleAsync();

        // A malformed target: the form says which, and nothing is saved.
        await page.GotoAsync("/discovery/scans");
        await page.ClickAsync("#new-scan");
        await FillAsync(page, "#scan-name", "malformed");
        await FillAsync(page, "#scan-targets", "10.0.0.0/33");
        await page.ClickAsync("#scan-save");
        await Expect(page.Locator("#scan-error")).ToContainTextAsync("'10.0.0.0/33' is not a valid CIDR range");
        await Chromium.ScreenshotAsync(page, "discovery-01-invalid-target");
        Assert.Empty(await ScansAsync(api));

        // An address outside the allowed ranges (the defaults: private and loopback ranges) is refused, never scanned.
        await FillAsync(page, "#scan-name", "public");
        await FillAsync(page, "#scan-targets", "8.8.8.8");
        await page.ClickAsync("#scan-save");
        await Expect(page.Locator("#scan-error")).ToContainTextAsync("Outside the ranges allowed for discovery");
        await Expect(page.Locator("#scan-error")).ToContainTextAsync("8.8.8.8");
        Assert.Empty(await ScansAsync(api));

        // The nginx on loopback: saved from the form, listed with its target and the default schedule.
        const string scanName = "loopback nginx";
        var port = _nginx!.Port.ToString(CultureInfo.InvariantCulture);
        await FillAsync(page, "#scan-name", scanName);
        await FillAsync(page, "#scan-targets", "127.0.0.1");
        await FillAsync(page, "#scan-ports", port);
        await page.ClickAsync("#scan-save");
        var row = page.Locator($"#scans tr[data-scan='{scanName}']");
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await Expect(row).ToContainTextAsync("0 3 * * 0");
        await Expect(page.Locator("#scan-form")).ToHaveCountAsync(0);
        Assert.Equal(scanName, Assert.Single(await ScansAsync(api)).Name);
        await Chromium.ScreenshotAsync(page, "discovery-02-scans");

        // Run now opens the run, which the page follows live until it completes.
        await row.Locator(".run-now").ClickAsync();
        await page.WaitForURLAsync(RunUrl());
        var runId = RunUrl().Match(page.Url).Groups[1].Value;
        await Expect(page.Locator("#run-progress")).ToBeVisibleAsync();
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("#run-found")).ToHaveTextAsync("1");
        var endpointName = $"127.0.0.1:{port}";
        await Expect(page.Locator("#run-endpoints")).ToContainTextAsync(endpointName);
        await Expect(page.Locator("#run-changes")).ToContainTextAsync(DiscoveryChangeKinds.NewEndpoint);
        await Expect(page.Locator("#run-cancel")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "discovery-03-run");

        // The endpoints list: the endpoint with its certificate's subject; its page: the observation of this run.
        await page.GotoAsync("/discovery/endpoints");
        var endpointRow = page.Locator("#endpoints tr", new() { HasTextString = endpointName });
        await Expect(endpointRow).ToContainTextAsync($"CN={SiteName}");
        await Expect(endpointRow).ToContainTextAsync(IssuingName);
        await Chromium.ScreenshotAsync(page, "discovery-04-endpoints");
        await FollowAsync(page, endpointRow.GetByRole(AriaRole.Link, new() { Name = endpointName }), EndpointUrl());
        await Expect(page.Locator("#endpoint-title")).ToHaveTextAsync(endpointName);
        var observation = page.Locator("#endpoint-history tbody tr").First;
        await Expect(observation.GetByRole(AriaRole.Link, new() { Name = runId, Exact = true })).ToHaveAttributeAsync("href", $"/discovery/runs/{runId}");
        await Expect(observation.GetByRole(AriaRole.Link, new() { Name = $"CN={SiteName}" })).ToHaveAttributeAsync("href", CertificateUrl());
        await Expect(page.Locator("#endpoint-rogue")).ToContainTextAsync("unapproved-issuer");
        await Chromium.ScreenshotAsync(page, "discovery-05-endpoint");

        // Its CA is approved by nobody: the rogue tab lists it.
        await page.GotoAsync("/discovery/endpoints?rogue=true");
        await Expect(page.Locator("#endpoints tr", new() { HasTextString = endpointName })).ToContainTextAsync("unapproved-issuer");

        // The settings page finds that CA among the inventory's CA certificates and approves it.
        await page.GotoAsync("/discovery/settings");
        await Expect(page.Locator("#allowed-ranges")).ToHaveValueAsync(new Regex("127\\.0\\.0\\.0/8"));
        await FillAsync(page, "#ca-search", IssuingName);
        await page.ClickAsync("#ca-search-button");
        var found = page.Locator("#ca-results tr", new() { HasTextString = IssuingName });
        await found.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator("#approved-cas")).ToContainTextAsync(IssuingName);
        await page.ClickAsync("#settings-save");
        await Expect(page.Locator(".mud-snackbar", new() { HasTextString = "Saved" })).ToBeVisibleAsync();
        var settings = await api.GetFromJsonAsync<DiscoverySettingsDto>("/api/v1/discovery/settings", Json, Cancel);
        Assert.Single(settings!.ApprovedAuthorityCertificateIds);
        await Chromium.ScreenshotAsync(page, "discovery-06-settings");

        // An enrollment token for a zone: its secret shown once, in the agent's command line, and listed without it.
        await page.GotoAsync("/discovery/agents");
        await FillAsync(page, "#token-zone", "dmz");
        await page.ClickAsync("#token-create");
        var secret = (await page.Locator("#token-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("cte_", secret, StringComparison.Ordinal);
        await Expect(page.Locator("#agent-command")).ToContainTextAsync($"--token {secret} --zone dmz");
        await Expect(page.Locator("#tokens tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tokens")).Not.ToContainTextAsync(secret);
        await Chromium.ScreenshotAsync(page, "discovery-07-agents");

        Assert.Empty(offMachine);
    }

    private async Task SignInAsAdminAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", Server.AdminPassword);
        await page.ClickAsync("#login-submit");
        await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
        await page.FillAsync("#currentPassword", Server.AdminPassword);
        await page.FillAsync("#newPassword", NewPassword);
        await page.FillAsync("#confirmPassword", NewPassword);
        await page.ClickAsync("#change-password-submit");
        await page.Locator("#count-Valid").WaitForAsync();
    }

    /// <summary>MudBlazor's fields take their value on change, as when a person leaves the field.</summary>
    private static async Task FillAsync(IPage page, string selector, string value)
    {
        await page.FillAsync(selector, value);
        await page.PressAsync(selector, "Tab");
    }

    /// <summary>Loads a link's address after checking it (a click just after the first paint can be lost: see ManagedPkiBrowserTests).</summary>
    private static async Task FollowAsync(IPage page, ILocator link, Regex expected)
    {
        await Expect(link).ToHaveAttributeAsync("href", expected);
        await page.GotoAsync(await link.GetAttributeAsync("href") ?? "");
    }

    private static async Task<List<ScanDefinitionDto>> ScansAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<List<ScanDefinitionDto>>("/api/v1/discovery/scans", Json, Cancel))!;

    [GeneratedRegex(@"/discovery/runs/(\d+)$")]
    private static partial Regex RunUrl();

    [GeneratedRegex(@"^/discovery/endpoints/\d+$")]
    private static partial Regex EndpointUrl();

    [GeneratedRegex(@"^/certificates/\d+$")]
    private static partial Regex CertificateUrl();
}
