namespace Certitude.Pki;

/// <summary>
/// The identifier and length octets at the start of an encoding (X.690 §8.1.2, §8.1.3), read without touching the
/// contents, so format detection costs a few bytes however large the input is.
/// </summary>
/// <param name="Tag">The identifier octet (single-octet tags only).</param>
/// <param name="HeaderLength">Identifier plus length octets.</param>
/// <param name="ContentLength">Declared content length; null for the indefinite form.</param>
internal readonly record struct DerHeader(byte Tag, int HeaderLength, long? ContentLength)
{
    /// <summary>Header plus declared contents; null for the indefinite form.</summary>
    public long? TotalLength => ContentLength is { } length ? HeaderLength + length : null;

    /// <summary>Reads the header at the start of <paramref name="data"/>; false when it cannot be a valid header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out DerHeader header)
    {
        header = default;
        if (data.Length < 2 || (data[0] & 0x1F) == 0x1F)
        {
            return false;
        }

        var first = data[1];
        if (first < 0x80)
        {
            header = new DerHeader(data[0], 2, first);
            return true;
        }

        if (first == 0x80)
        {
            header = new DerHeader(data[0], 2, null);
            return true;
        }

        var count = first & 0x7F;
        if (count > 6 || data.Length < 2 + count)
        {
            return false;
        }

        long length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | data[2 + i];
        }

        header = new DerHeader(data[0], 2 + count, length);
        return true;
    }
}
