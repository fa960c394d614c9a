using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Certitude.Pki.Tests.Support;

/// <summary>
/// A certificate as openssl prints it with
/// <c>x509 -noout -text -nameopt RFC2253 -fingerprint -sha256 -serial -dates -subject -issuer</c>,
/// plus optional "sha1 Fingerprint=" and "spki=" lines the tests add from further openssl commands.
/// </summary>
internal sealed partial class OpenSslView
{
    public int Version { get; private set; }

    public BigInteger Serial { get; private set; }

    public string SignatureAlgorithm { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string Issuer { get; private set; } = "";

    public DateTimeOffset NotBefore { get; private set; }

    public DateTimeOffset NotAfter { get; private set; }

    public string Sha256Fingerprint { get; private set; } = "";

    public string? Sha1Fingerprint { get; private set; }

    public string? SpkiSha256 { get; private set; }

    public string PublicKeyAlgorithm { get; private set; } = "";

    public int? PublicKeyBits { get; private set; }

    public string? NistCurve { get; private set; }

    public Dictionary<string, OpenSslExtension> Extensions { get; } = new(StringComparer.Ordinal);

    public static OpenSslView Parse(string output)
    {
        var view = new OpenSslView();
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var inExtensions = false;
        OpenSslExtension? current = null;
        List<string>? currentLines = null;
        foreach (var line in lines)
        {
            if (TryValue(line, "serial=", out var serial))
            {
                view.Serial = ParseSerial(serial);
            }
            else if (TryValue(line, "notBefore=", out var notBefore))
            {
                view.NotBefore = ParseDate(notBefore);
            }
            else if (TryValue(line, "notAfter=", out var notAfter))
            {
                view.NotAfter = ParseDate(notAfter);
            }
            else if (TryValue(line, "sha256 Fingerprint=", out var sha256))
            {
                view.Sha256Fingerprint = Hex(sha256);
            }
            else if (TryValue(line, "SHA256 Fingerprint=", out var sha256Upper))
            {
                view.Sha256Fingerprint = Hex(sha256Upper);
            }
            else if (TryValue(line, "sha1 Fingerprint=", out var sha1) || TryValue(line, "SHA1 Fingerprint=", out sha1))
            {
                view.Sha1Fingerprint = Hex(sha1);
            }
            else if (TryValue(line, "spki=", out var spki))
            {
                view.SpkiSha256 = spki.Split(' ')[0].Trim().ToLowerInvariant();
            }
            else if (TryValue(line, "subject=", out var subject))
            {
                view.Subject = subject;
            }
            else if (TryValue(line, "issuer=", out var issuer))
            {
                view.Issuer = issuer;
            }
            else if (VersionLine().Match(line) is { Success: true } version)
            {
                view.Version = int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("        Signature Algorithm: ", StringComparison.Ordinal) && view.SignatureAlgorithm.Length == 0)
            {
                view.SignatureAlgorithm = line.Trim()["Signature Algorithm: ".Length..];
            }
            else if (line.StartsWith("            Public Key Algorithm: ", StringComparison.Ordinal))
            {
                view.PublicKeyAlgorithm = line.Trim()["Public Key Algorithm: ".Length..];
            }
            else if (!inExtensions && KeyBitsLine().Match(line) is { Success: true } bits)
            {
                view.PublicKeyBits = int.Parse(bits.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (!inExtensions && line.Trim().StartsWith("NIST CURVE: ", StringComparison.Ordinal))
            {
                view.NistCurve = line.Trim()["NIST CURVE: ".Length..];
            }
            else if (line == "        X509v3 extensions:")
            {
                inExtensions = true;
            }
            else if (inExtensions && !line.StartsWith("            ", StringComparison.Ordinal))
            {
                inExtensions = false;
            }
            else if (inExtensions && line.Length > 12 && line[12] != ' ')
            {
                var heading = line.Trim();
                var critical = heading.EndsWith(": critical", StringComparison.Ordinal);
                var name = heading[..heading.LastIndexOf(':')];
                currentLines = [];
                current = new OpenSslExtension(name, critical, currentLines);
                view.Extensions.TryAdd(name, current);
            }
            else if (inExtensions && currentLines is not null)
            {
                currentLines.Add(line.Trim());
            }
        }

        return view;
    }

    /// <summary>The lines of an extension's body, or empty when the extension is absent.</summary>
    public IReadOnlyList<string> Lines(string name)
    {
        return Extensions.TryGetValue(name, out var extension) ? extension.Lines : [];
    }

    private static bool TryValue(string line, string prefix, out string value)
    {
        if (line.StartsWith(prefix, StringComparison.Ordinal))
        {
            value = line[prefix.Length..];
            return true;
        }

        value = "";
        return false;
    }

    private static BigInteger ParseSerial(string text)
    {
        var negative = text.StartsWith('-');
        var magnitude = BigInteger.Parse("0" + text.TrimStart('-'), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return negative ? -magnitude : magnitude;
    }

    private static DateTimeOffset ParseDate(string text)
    {
        // "Nov  7 14:22:52 2026 GMT": a single-digit day is padded with a space.
        var compact = Spaces().Replace(text.Trim(), " ");
        return DateTimeOffset.ParseExact(compact, "MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static string Hex(string colonSeparated)
    {
        return colonSeparated.Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
    }

    [GeneratedRegex(@"^\s+Version: (\d+) \(0x\d+\)$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^\s+(?:[A-Z0-9-]+ )?Public-Key: \((\d+) bit\)$")]
    private static partial Regex KeyBitsLine();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
