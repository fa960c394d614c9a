using System.Text;

namespace Certitude.Pki;

/// <summary>
/// Decodes ASN.1 character strings to text the way OpenSSL does when it prints names: UTF8String as UTF-8, BMPString
/// as UTF-16BE, UniversalString as UTF-32BE, and the single-byte types (PrintableString, IA5String, TeletexString, ...)
/// as ISO 8859-1, which is what TeletexString holds in practice (RFC 5280 §4.1.2.4 notes its use is historical).
/// </summary>
internal static class DirectoryString
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf32BigEndian = new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true);

    /// <summary>Decodes a full encoding (tag, length, value) of a character string; false for other types.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out string text)
    {
        text = string.Empty;
        if (!DerHeader.TryRead(encoded, out var header) || header.TotalLength != encoded.Length)
        {
            return false;
        }

        var content = encoded[header.HeaderLength..];
        Encoding? encoding = header.Tag switch
        {
            12 => StrictUtf8,
            18 or 19 or 20 or 21 or 22 or 23 or 24 or 25 or 26 or 27 => Encoding.Latin1,
            28 => StrictUtf32BigEndian,
            30 => StrictUtf16BigEndian,
            _ => null,
        };
        if (encoding is null)
        {
            return false;
        }

        try
        {
            text = encoding.GetString(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
