using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Certitude.UiTests;

/// <summary>
/// The managed PKI as people use it in a real browser: a user asks for a certificate with a key Certitude makes, a
/// manager approves it from their queue in another browser session, the user opens the certificate and downloads it
/// and its key; a name the division does not own is refused on the form; a rejection shows its reason. The CAs,
/// division and accounts are made over the API first (an administrator's setup, not what is tested here).
/// Screenshots of every page go to artifacts/screenshots/pki-*.png.
/// </summary>
public sealed partial class ManagedPkiBrowserTests : IAsyncLifetime
{
    private const string NewPassword = "Correct-Horse-Battery-9";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string _work = Directory.CreateTempSubdirectory("certitude-ui-pki-").FullName;
    private CertitudeServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private CertitudeServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await CertitudeServer.StartAsync(DatabaseProvider.Sqlite);
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
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task RequestApproveDownload_GeneratedKeyOneApprover_WorksInTheBrowser()
    {
        using var admin = Server.CreateClient();
        var root = await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "ui-root", commonName = "UI Test Root", keyType = "EcP384" });
        var issuing = await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "ui-issuing", commonName = "UI Test Issuing", parent = root.Name });
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        const string domain = "web.example.com";
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = "Web", domains = new[] { domain }, approvalPolicy = "OneApprover", defaultAuthority = issuing.Name,
        });
        var (userId, userPassword) = await CreateUserAsync(admin, "alice", division.Id, OrganizationRole.User);
        var (_, managerPassword) = await CreateUserAsync(admin, "bob", division.Id, OrganizationRole.Manager);

        var (user, userOffMachine) = await NewSessionAsync();
        await SignInAsync(user, "alice", userPassword);

        // The form: a generated key and a name outside the division's domains, refused with the name in the message.
        await user.GotoAsync("/requests/new");
        await user.Locator("#request-submit").WaitForAsync();
        await Expect(user.Locator("#request-division")).ToHaveValueAsync(division.Id.ToString(CultureInfo.InvariantCulture));
        await user.GetByText("Generate the key for me").ClickAsync();
        await user.Locator("#request-csr").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await FillAsync(user, "#request-dns", "www.elsewhere.example.org");
        await user.ClickAsync("#request-submit");
        await Expect(user.Locator("#request-error")).ToContainTextAsync("www.elsewhere.example.org");
        await Chromium.ScreenshotAsync(user, "pki-01-request-refused");
        Assert.Empty((await admin.GetFromJsonAsync<RequestPage>("/api/v1/requests", Json, Cancel))!.Items);

        // A name the division owns: submitted, the request page says Pending.
        var host = $"www.{domain}";
        await FillAsync(user, "#request-dns", host);
        await Chromium.ScreenshotAsync(user, "pki-02-request-form");
        await user.ClickAsync("#request-submit");
        await user.WaitForURLAsync(RequestUrl());
        var requestId = long.Parse(RequestUrl().Match(user.Url).Groups[1].Value, CultureInfo.InvariantCulture);
        await Expect(user.Locator("#request-state")).ToHaveTextAsync("Pending");
        await Expect(user.Locator("#request-certificate")).ToHaveCountAsync(0);
        await Expect(user.Locator("#approve")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(user, "pki-03-request-pending");

        // The manager, in a browser session of their own, finds it in the approval queue and approves it.
        var (manager, managerOffMachine) = await NewSessionAsync();
        await SignInAsync(manager, "bob", managerPassword);
        await manager.GotoAsync("/requests");
        var queued = manager.Locator("#approval-queue").GetByRole(AriaRole.Link, new() { Name = requestId.ToString(CultureInfo.InvariantCulture), Exact = true });
        await queued.WaitForAsync();
        await Expect(manager.Locator("#approval-queue")).ToContainTextAsync(host);
        await Chromium.ScreenshotAsync(manager, "pki-04-approval-queue");
        await FollowAsync(manager, queued, $"/requests/{requestId}");
        await manager.ClickAsync("#approve");
        await Expect(manager.Locator("#request-state")).ToHaveTextAsync("Issued");
        await Expect(manager.Locator("#request-certificate")).ToHaveAttributeAsync("href", CertificateUrl());
        await Expect(manager.Locator("#request-history")).ToContainTextAsync("request.issue");
        await Chromium.ScreenshotAsync(manager, "pki-05-request-issued");

        // The user sees it issued, opens the certificate: downloads in every format, and the Issued-by-Certitude panel.
        await user.ReloadAsync();
        await Expect(user.Locator("#request-state")).ToHaveTextAsync("Issued");
        await FollowAsync(user, user.Locator("#request-certificate"), CertificateUrl());
        await Expect(user.Locator("#certificate-title")).ToHaveTextAsync(host);
        var actions = user.Locator("#certificate-actions");
        await Expect(actions).ToContainTextAsync("Issued by Certitude");
        await Expect(actions).ToContainTextAsync($"CA {issuing.Name}");
        await Expect(actions.GetByRole(AriaRole.Link, new() { Name = $"request {requestId}", Exact = true })).ToBeVisibleAsync();
        foreach (var (label, certificates) in new[] { ("PEM", 1), ("PEM full chain", 2), ("PEM chain", 1) })
        {
            var link = actions.GetByRole(AriaRole.Link, new() { Name = label, Exact = true });
            var href = await link.GetAttributeAsync("href") ?? throw new InvalidOperationException($"no link {label}");
            var response = await user.APIRequest.GetAsync(href);
            Assert.True(response.Ok, $"{label}: {response.Status}");
            Assert.Equal(certificates, Regex.Count(await response.TextAsync(), "-----BEGIN CERTIFICATE-----"));
        }

        foreach (var label in new[] { "DER", "PKCS#7" })
        {
            await Expect(actions.GetByRole(AriaRole.Link, new() { Name = label, Exact = true })).ToBeVisibleAsync();
        }

        // The key Certitude made, once, as PKCS#12: openssl opens it and its key belongs to the certificate.
        const string pfxPassword = "pfx-password-1";
        await FillAsync(user, "#certificate-actions input[type=password]", pfxPassword);
        var download = await user.RunAndWaitForDownloadAsync(() => actions.GetByRole(AriaRole.Button, new() { Name = "Download PKCS#12 with the key (once)" }).ClickAsync());
        var pfx = Path.Combine(_work, "download.pfx");
        await download.SaveAsAsync(pfx);
        await Expect(user.Locator("#action-message")).ToContainTextAsync("Downloaded");
        await OpenSslAsync("pkcs12", "-in", "download.pfx", "-passin", $"pass:{pfxPassword}", "-nokeys", "-clcerts", "-out", "leaf.pem");
        await OpenSslAsync("pkcs12", "-in", "download.pfx", "-passin", $"pass:{pfxPassword}", "-nocerts", "-nodes", "-out", "key.pem");
        Assert.Contains($"DNS:{host}", await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-ext", "subjectAltName"), StringComparison.Ordinal);
        Assert.Equal(await OpenSslAsync("x509", "-in", "leaf.pem", "-noout", "-pubkey"), await OpenSslAsync("pkey", "-in", "key.pem", "-pubout"));
        await Chromium.ScreenshotAsync(user, "pki-06-certificate");

        // A second request (sent over the API), rejected by the manager with a reason the requester then reads.
        using var userApi = Server.CreateClient((await Server.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(userId, new CreateApiKeyRequest { Name = "ui-test" }, null, Cancel)).Key);
        var second = await PostAsync<RequestDto>(userApi, "/api/v1/requests", new { divisionId = division.Id, generateKey = "EcP256", dnsNames = new[] { $"api.{domain}" } });
        const string reason = "api.web.example.com belongs to the payments team; ask them.";
        await manager.GotoAsync($"/requests/{second.Id}");
        await FillAsync(manager, "#reject-reason", reason);
        await manager.ClickAsync("#reject");
        await Expect(manager.Locator("#request-state")).ToHaveTextAsync("Rejected");
        await Expect(manager.GetByRole(AriaRole.Row, new() { Name = "Rejected because" })).ToContainTextAsync(reason);
        await Chromium.ScreenshotAsync(manager, "pki-07-request-rejected");
        await user.GotoAsync($"/requests/{second.Id}");
        await Expect(user.Locator("#request-state")).ToHaveTextAsync("Rejected");
        await Expect(user.GetByRole(AriaRole.Row, new() { Name = "Rejected because" })).ToContainTextAsync(reason);

        Assert.Empty(userOffMachine);
        Assert.Empty(managerOffMachine);
    }

    private async Task<(IPage Page, IReadOnlyCollection<string> OffMachine)> NewSessionAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 },
        });
        var offMachine = await Chromium.KeepOnMachineAsync(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Chromium.Timeout);
        return (page, offMachine);
    }

    /// <summary>
    /// Follows a link by loading its address, after checking where it points. Not a click: a click in the moment
    /// between a page's first (prerendered) paint and its connection to the server can leave Blazor at the new
    /// address still showing the old page (its enhanced navigation is dropped when the interactive router starts) —
    /// the framework's race, which a test on a loaded machine hits now and then.
    /// </summary>
    private static async Task FollowAsync(IPage page, ILocator link, Regex expected)
    {
        await Expect(link).ToHaveAttributeAsync("href", expected);
        await page.GotoAsync(await link.GetAttributeAsync("href") ?? "");
    }

    private static Task FollowAsync(IPage page, ILocator link, string expected) => FollowAsync(page, link, new Regex("^" + Regex.Escape(expected) + "$"));

    /// <summary>Signs in with the one-time password an administrator was given, and chooses a new one, as asked.</summary>
    private static async Task SignInAsync(IPage page, string userName, string oneTimePassword)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", oneTimePassword);
        await page.ClickAsync("#login-submit");
        await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
        await page.FillAsync("#currentPassword", oneTimePassword);
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

    private static async Task<(string Id, string OneTimePassword)> CreateUserAsync(HttpClient admin, string userName, long divisionId, OrganizationRole role)
    {
        var created = await PostAsync<CreatedUser>(admin, "/api/v1/users", new { userName, email = $"{userName}@example.test", divisionId, role = role.ToString() });
        return (created.User.Id, created.OneTimePassword ?? throw new InvalidOperationException("no one-time password"));
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private Task<string> OpenSslAsync(params string[] arguments) => ExternalProcess.RunAsync("/usr/bin/openssl", arguments, _work);

    [GeneratedRegex(@"/requests/(\d+)$")]
    private static partial Regex RequestUrl();

    [GeneratedRegex(@"^/certificates/\d+$")]
    private static partial Regex CertificateUrl();
}
