using System.Buffers.Text;
using System.Text.Json;
using Certitude.Hosting;

namespace Certitude.Features.Inventory;

/// <summary>
/// An opaque page cursor: the sort key and id of the last row served. The next page starts strictly after
/// that pair, so rows inserted meanwhile never shift or repeat a page (unlike offsets).
/// </summary>
internal sealed record KeysetCursor(CertificateSort Sort, bool Descending, string Value, long Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static KeysetCursor Decode(string cursor, CertificateSort sort, bool descending)
    {
        KeysetCursor? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize<KeysetCursor>(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new DomainValidationException("cursor", "The cursor is not one this server issued.");
        }

        if (decoded is null || decoded.Sort != sort || decoded.Descending != descending)
        {
            throw new DomainValidationException("cursor", "The cursor belongs to a different sort order; start again without it.");
        }

        return decoded;
    }
}
