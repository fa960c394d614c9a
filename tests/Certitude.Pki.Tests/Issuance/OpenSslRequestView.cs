using System.Globalization;
using System.Text.RegularExpressions;

namespace Certitude.Pki.Tests.Issuance;

/// <summary>A CSR as <c>openssl req -noout -text -subject -nameopt RFC2253</c> prints it.</summary>
internal sealed partial class OpenSslRequestView
{
    public string Subject { get; private set; } = "";

    public string PublicKeyAlgorithm { get; private set; } = "";

    public int? PublicKeyBits { get; private set; }

    public string? NistCurve { get; private set; }

    public string SignatureAlgorithm { get; private set; } = "";

    /// <summary>The names listed under "X509v3 Subject Alternative Name:" in "Requested Extensions".</summary>
    public List<SubjectAlternativeName> SubjectAlternativeNames { get; } = [];

    public static OpenSslRequestView Parse(string output)
    {
        var view = new OpenSslRequestView();
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("subject=", StringComparison.Ordinal))
            {
                view.Subject = line["subject=".Length..];
            }
            else if (line.StartsWith("Public Key Algorithm: ", StringComparison.Ordinal))
            {
                view.PublicKeyAlgorithm = line["Public Key Algorithm: ".Length..];
            }
            else if (KeyBitsLine().Match(line) is { Success: true } bits)
            {
                view.PublicKeyBits = int.Parse(bits.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("NIST CURVE: ", StringComparison.Ordinal))
            {
                view.NistCurve = line["NIST CURVE: ".Length..];
            }
            else if (line.StartsWith("Signature Algorithm: ", StringComparison.Ordinal) && view.SignatureAlgorithm.Length == 0)
            {
                view.SignatureAlgorithm = line["Signature Algorithm: ".Length..];
            }
            else if (line.StartsWith("X509v3 Subject Alternative Name:", StringComparison.Ordinal) && i + 1 < lines.Length)
            {
                view.SubjectAlternativeNames.AddRange(lines[i + 1].Trim().Split(", ").Select(ParseName));
            }
        }

        return view;
    }

    private static SubjectAlternativeName ParseName(string entry)
    {
        // openssl's GENERAL_NAME_print prefixes: "DNS:", "IP Address:", "email:", "URI:".
        (string Prefix, SubjectAlternativeNameType Type)[] prefixes =
        [
            ("DNS:", SubjectAlternativeNameType.Dns),
            ("IP Address:", SubjectAlternativeNameType.IpAddress),
            ("email:", SubjectAlternativeNameType.Email),
            ("URI:", SubjectAlternativeNameType.Uri),
        ];
        foreach (var (prefix, type) in prefixes)
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new SubjectAlternativeName(type, entry[prefix.Length..]);
            }
        }

        throw new FormatException($"unexpected name in openssl output: {entry}");
    }

    [GeneratedRegex(@"^(?:[A-Z0-9-]+ )?Public-Key: \((\d+) bit\)$")]
    private static partial Regex KeyBitsLine();
}
