using System.Net;
using System.Text.RegularExpressions;

namespace Certitude.TestSupport;

/// <summary>Posts the server's HTML forms as a browser does: the page's anti-forgery token, the session cookie.</summary>
public static partial class BrowserForms
{
    /// <summary>Loads <paramref name="page"/>, posts <paramref name="fields"/> to <paramref name="action"/> with the page's
    /// anti-forgery token, and returns where the answer redirects.</summary>
    public static async Task<string> PostAsync(HttpClient client, string page, string action, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var html = await client.GetStringAsync(page, cancellationToken);
        var tokens = AntiforgeryToken().Matches(html);
        // The layout's sign-out form comes first when signed in; the page's own form is the last one.
        fields["__RequestVerificationToken"] = tokens.Count > 0 ? tokens[^1].Groups[1].Value : throw new InvalidOperationException($"No form on {page}.");
        using var response = await client.PostAsync(action, new FormUrlEncodedContent(fields), cancellationToken);
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            ? location.ToString()
            : throw new InvalidOperationException($"POST {action} answered {(int)response.StatusCode}, not a redirect.");
    }

    /// <summary>Signs in through the login form; returns where the server sends the browser next.</summary>
    public static Task<string> SignInAsync(HttpClient client, string userName, string password, CancellationToken cancellationToken) =>
        PostAsync(client, "/login", "/account/login", new() { ["userName"] = userName, ["password"] = password }, cancellationToken);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
