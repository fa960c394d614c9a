using System.Globalization;
using System.Text;

namespace Certitude.Pki.Tests.Support;

/// <summary>
/// Brings a name printed by <c>openssl -nameopt RFC2253</c> to Certitude's RFC 4514 form. The two differ by
/// choice in two places only, both allowed by RFC 4514: OpenSSL escapes each UTF-8 byte of a non-ASCII character as \XX
/// (Certitude keeps the character), and OpenSSL names streetAddress "street" (Certitude uses RFC 4514's "STREET").
/// </summary>
internal static class OpenSslNames
{
    public static string ToRfc4514(string openSslName)
    {
        var result = new StringBuilder();
        var pendingBytes = new List<byte>();
        var atTypeStart = true;
        for (var i = 0; i < openSslName.Length; i++)
        {
            if (atTypeStart)
            {
                var equals = openSslName.IndexOf('=', i);
                var type = openSslName[i..equals];
                result.Append(type == "street" ? "STREET" : type).Append('=');
                i = equals;
                atTypeStart = false;
                continue;
            }

            var c = openSslName[i];
            if (c == '\\' && i + 2 < openSslName.Length && IsHex(openSslName[i + 1]) && IsHex(openSslName[i + 2])
                && byte.Parse(openSslName.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) is >= 0x80 and var high)
            {
                pendingBytes.Add(high);
                i += 2;
                continue;
            }

            Flush(result, pendingBytes);
            if (c == '\\')
            {
                result.Append(c).Append(openSslName[i + 1]);
                i++;
            }
            else
            {
                result.Append(c);
                atTypeStart = c is ',' or '+';
            }
        }

        Flush(result, pendingBytes);
        return result.ToString();
    }

    private static void Flush(StringBuilder result, List<byte> pendingBytes)
    {
        if (pendingBytes.Count > 0)
        {
            result.Append(Encoding.UTF8.GetString([.. pendingBytes]));
            pendingBytes.Clear();
        }
    }

    private static bool IsHex(char c)
    {
        return char.IsAsciiHexDigit(c);
    }
}
