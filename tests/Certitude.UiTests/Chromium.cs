using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Certitude.UiTests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) as the browser tests launch it: headless, and with every background
/// service that would call Google turned off, so the only traffic is what a test sends to loopback.
/// </summary>
internal static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>
    /// How long any wait (a selector, an assertion, a navigation) may take: generous, because a 2-core machine shared
    /// with builds can stall a page for many seconds; a passing test never waits for it.
    /// </summary>
    public const float Timeout = 60_000;

    private static readonly string[] Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    /// <param name="playwright">The driver.</param>
    /// <param name="home">
    /// The browser's HOME, when not the test process's: Chromium on Linux reads its certificate trust (NSS) from
    /// <c>$HOME/.pki/nssdb</c>.
    /// </param>
    /// <param name="extraArguments">More command-line switches, e.g. <c>--host-resolver-rules</c>.</param>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string? home = null, params string[] extraArguments)
    {
        var options = new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = [.. Arguments, .. extraArguments] };
        if (home is not null)
        {
            // Playwright hands the browser exactly this environment (not this one added to its own), so copy ours.
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            environment["HOME"] = home;
            options.Env = environment;
        }

        Assertions.SetDefaultExpectTimeout(Timeout);
        return playwright.Chromium.LaunchAsync(options);
    }

    /// <summary>
    /// Aborts every request of <paramref name="context"/> to a host other than a loopback address or one of
    /// <paramref name="allowedHosts"/> (names the test maps to loopback), and returns the list of those it aborted.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> KeepOnMachineAsync(IBrowserContext context, params string[] allowedHosts)
    {
        var offMachine = new ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            var host = new Uri(route.Request.Url).Host;
            if (host is "127.0.0.1" or "localhost" or "[::1]" || allowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                await route.ContinueAsync();
            }
            else
            {
                offMachine.Enqueue(route.Request.Url);
                await route.AbortAsync();
            }
        });
        return offMachine;
    }

    /// <summary>Saves a full-page screenshot to artifacts/screenshots/<paramref name="name"/>.png.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        // From the top: a page scrolled down draws the fixed app bar and menu mid-page in a full-page capture.
        // Transitions (a chip changing colour) are finished first, so the picture shows the state the test saw.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled,
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Certitude.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Path.GetTempPath();
    }
}
