using System.Text;
using Certitude.Data;
using Certitude.TestSupport;
using Microsoft.Playwright;

namespace Certitude.UiTests;

/// <summary>
/// A person's first minutes in a real browser (Debian's Chromium driven by Playwright): sign in with the
/// first-run password, choose a new one, import a file, find it in the grid, open its detail page.
/// A screenshot of every page lands in artifacts/screenshots. Any request off the machine fails the test.
/// </summary>
public sealed class BrowserSmokeTests : IAsyncLifetime
{
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
    }

    [Fact]
    public async Task FirstSession_SignInImportBrowseAndOpenDetail_Works()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        var offMachine = await Chromium.KeepOnMachineAsync(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Chromium.Timeout);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login**");
        await Screenshot(page, "01-login");

        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", "wrong password");
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#login-error");

        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", Server.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/account/password");
        await Screenshot(page, "02-change-password");
        const string newPassword = "Correct-Horse-Battery-9";
        await page.FillAsync("#currentPassword", Server.AdminPassword);
        await page.FillAsync("#newPassword", newPassword);
        await page.FillAsync("#confirmPassword", newPassword);
        await page.ClickAsync("#change-password-submit");
        await page.WaitForSelectorAsync("#count-Valid");
        await Screenshot(page, "03-overview");

        var root = CertificateFactory.CreateRoot("Browser Test Root");
        var leaf = CertificateFactory.CreateLeaf(root, "browser.example.test", ["browser.example.test", "www.browser.example.test"]);
        await page.GotoAsync("/import");
        // The upload control exists only once the page is interactive (connected to the server).
        await page.Locator("input[type=file]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var file = new FilePayload { Name = "chain.pem", MimeType = "application/x-pem-file", Buffer = Encoding.ASCII.GetBytes(CertificateFactory.ToPem(leaf, root)) };
        // The upload control wires its change handler just after it renders; a file set before that is not seen,
        // as a person clicking too early would find. Choose again until the page lists it (bounded).
        var chosen = page.Locator("text=1 file(s) chosen");
        for (var attempt = 0; attempt < 5 && !await chosen.IsVisibleAsync(); attempt++)
        {
            await page.SetInputFilesAsync("input[type=file]", file);
            try
            {
                await chosen.WaitForAsync(new() { Timeout = 3000 });
            }
            catch (TimeoutException)
            {
            }
        }

        await page.ClickAsync("#import-button");
        var summary = await page.WaitForSelectorAsync("#import-summary");
        Assert.Contains("2 new", await summary!.InnerTextAsync(), StringComparison.Ordinal);
        await Screenshot(page, "04-import");

        await page.GotoAsync("/certificates");
        var link = page.Locator("#certificates-grid a", new() { HasTextString = "browser.example.test" });
        await link.WaitForAsync();
        await Screenshot(page, "05-inventory");

        await link.ClickAsync();
        await page.WaitForSelectorAsync("#certificate-title");
        Assert.Equal("browser.example.test", (await page.InnerTextAsync("#certificate-title")).Trim());
        Assert.Contains("www.browser.example.test", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Browser Test Root", await page.ContentAsync(), StringComparison.Ordinal);
        await Screenshot(page, "06-certificate");

        await page.FillAsync("#owner", "web-team@example.test");
        await page.FillAsync("#tags", "prod, edge");
        await page.ClickAsync("#save");
        await page.Locator("text=Saved").WaitForAsync();

        await page.GotoAsync("/");
        await page.Locator("#count-Valid", new() { HasTextString = "2" }).WaitForAsync();
        await Screenshot(page, "07-overview-with-data");

        await page.GotoAsync("/settings/api-keys");
        await page.Locator("#key-name").WaitForAsync();
        await page.Locator("#key-name").FillAsync("browser-made key");
        await page.Locator("#key-name").PressAsync("Tab");
        await page.ClickAsync("#create-key");
        var key = (await page.Locator("#new-key").InnerTextAsync()).Trim();
        await Screenshot(page, "08-api-keys");
        using var api = Server.CreateClient(key);
        var tagged = await api.GetStringAsync("/api/v1/certificates?tag=edge", TestContext.Current.CancellationToken);
        Assert.Contains("web-team@example.test", tagged, StringComparison.Ordinal);

        // The organization: a division made in the tree, a guest invited to it, the change in the audit log.
        await page.GotoAsync("/organization/divisions");
        await page.Locator("#new-division-name").FillAsync("Payments");
        await page.Locator("#new-division-name").PressAsync("Tab");
        await page.ClickAsync("#division-create");
        await page.Locator("#division-tree", new() { HasTextString = "Payments" }).WaitForAsync();
        await Screenshot(page, "09-divisions");

        await page.GotoAsync("/organization/users");
        await page.Locator("#guest-email").FillAsync("visitor@example.test");
        await page.Locator("#guest-email").PressAsync("Tab");
        await page.ClickAsync("#invite-guest");
        var invitationLink = (await page.Locator("#users-secret").InnerTextAsync()).Trim();
        Assert.Contains("/invite/", invitationLink, StringComparison.Ordinal);
        await Screenshot(page, "10-users");

        await page.GotoAsync("/audit");
        await page.ClickAsync("#audit-verify");
        Assert.Contains("Chain intact", await page.Locator("#audit-verification").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("guest.invite", await page.Locator("#audit-table").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshot(page, "11-audit");

        // The guest's own first minute: the link opens a sign-up page outside the session.
        var guest = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString() });
        var guestPage = await guest.NewPageAsync();
        await guestPage.GotoAsync(new Uri(invitationLink).PathAndQuery);
        await guestPage.FillAsync("#userName", "visitor");
        await guestPage.FillAsync("#password", "Visitor-Password-1!");
        await guestPage.FillAsync("#confirmPassword", "Visitor-Password-1!");
        await guestPage.ClickAsync("#accept-submit");
        await guestPage.WaitForSelectorAsync("#login-welcome");
        await Screenshot(guestPage, "12-guest-welcome");
        await guest.CloseAsync();

        Assert.Empty(offMachine);
    }

    private static Task Screenshot(IPage page, string name) => Chromium.ScreenshotAsync(page, name);
}
