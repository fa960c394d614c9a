using System.Text.RegularExpressions;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>`openssl ocsp` as the OCSP client: it writes requests and judges responses.</summary>
internal static partial class OcspOpenSsl
{
    /// <summary>
    /// Writes a request with `openssl ocsp -issuer int.pem [arguments] -reqout req.der` in the PKI's folder and returns
    /// its DER; <paramref name="arguments"/> name the certificates (-cert leaf0.pem) and options (-no_nonce, -sha256).
    /// </summary>
    public static async Task<byte[]> RequestAsync(OcspTestPki pki, string name, params string[] arguments)
    {
        await OpenSsl.RunAsync(pki.Directory.Path, ["ocsp", "-issuer", "int.pem", .. arguments, "-reqout", name]);
        return await File.ReadAllBytesAsync(pki.File(name), TestContext.Current.CancellationToken);
    }

    /// <summary>Runs `openssl ocsp` with <paramref name="arguments"/> without failing on a non-zero exit: stdout and stderr together, and the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> JudgeAsync(OcspTestPki pki, string arguments)
    {
        var result = await OpenSsl.ScriptAsync(pki.Directory.Path, $"set +e\nopenssl ocsp {arguments} 2>&1\necho \"exit=$?\"");
        var text = result.Text;
        var match = ExitLine().Match(text);
        Assert.True(match.Success, text);
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), text[..match.Index]);
    }

    /// <summary>The hex that follows <paramref name="label"/> in `openssl ocsp -req_text`/`-resp_text` output (e.g. "Serial Number: ").</summary>
    public static IReadOnlyList<string> Values(string text, string label)
    {
        return [.. Regex.Matches(text, Regex.Escape(label) + @"\s*([0-9A-Fa-f]+)").Select(static m => m.Groups[1].Value.ToUpperInvariant())];
    }

    [GeneratedRegex(@"exit=(\d+)\s*$")]
    private static partial Regex ExitLine();
}
