using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certitude.Features.Organization;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>TOTP two-factor sign-in, with codes computed here from RFC 6238 (not by the code under test).</summary>
public sealed partial class TwoFactorTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoFactor_EnabledWithAppCode_IsAskedAtNextSignIn()
    {
        var server = fixture.Server;
        using var admin = server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var userName = "totp-" + Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostAsJsonAsync("/api/v1/users", new { userName, divisionId = root.Id, role = "User" }, Cancel))
            .Content.ReadFromJsonAsync<CreatedUser>(Json, Cancel);
        const string password = "Own-Password-4567!";

        using var browser = server.CreateAnonymousClient();
        Assert.Equal("/", await SignInAsync(browser, userName, created!.OneTimePassword!));
        // The one-time password must be replaced before anything else.
        Assert.Equal("/", await PostFormAsync(browser, "/account/password", "/account/change-password",
            new() { ["currentPassword"] = created.OneTimePassword!, ["newPassword"] = password, ["confirmPassword"] = password }));
        var settings = await browser.GetStringAsync("/account/two-factor", Cancel);
        var key = KeyAttribute().Match(settings).Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = await PostFormAsync(browser, "/account/two-factor", "/account/two-factor/enable", new() { ["code"] = "000000" });
        Assert.Contains("error=", wrong, StringComparison.Ordinal);
        var enabled = await PostFormAsync(browser, "/account/two-factor", "/account/two-factor/enable", new() { ["code"] = Totp(key) });
        Assert.Contains("enabled=1", enabled, StringComparison.Ordinal);

        using var next = server.CreateAnonymousClient();
        Assert.StartsWith("/login/two-factor", await SignInAsync(next, userName, password), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await next.GetAsync("/api/v1/me", Cancel)).StatusCode);
        Assert.Contains("error=1", await PostFormAsync(next, "/login/two-factor", "/account/login-two-factor", new() { ["code"] = "123456" }), StringComparison.Ordinal);
        Assert.Equal("/", await PostFormAsync(next, "/login/two-factor", "/account/login-two-factor", new() { ["code"] = Totp(key) }));
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/api/v1/me", Cancel)).StatusCode);
    }

    /// <summary>RFC 6238 TOTP: HMAC-SHA1 over the 30-second counter, dynamic truncation (RFC 4226 §5.3), 6 digits.</summary>
    private static string Totp(string base32Key)
    {
        var counter = BitConverter.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 specifies HMAC-SHA1; authenticator apps use it.
        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c != '=' && c != ' '))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }

    private static Task<string> SignInAsync(HttpClient client, string userName, string password) =>
        BrowserForms.SignInAsync(client, userName, password, Cancel);

    private static Task<string> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields) =>
        BrowserForms.PostAsync(client, page, action, fields, Cancel);

    [GeneratedRegex("data-key=\"([A-Z2-7]+)\"")]
    private static partial Regex KeyAttribute();
}
