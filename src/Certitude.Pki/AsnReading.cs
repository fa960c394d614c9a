using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>Small ASN.1 reading helpers shared by the certificate and container readers.</summary>
internal static class AsnReading
{
    private static readonly Asn1Tag UtcTimeTag = new(UniversalTagNumber.UtcTime);
    private static readonly Asn1Tag GeneralizedTimeTag = new(UniversalTagNumber.GeneralizedTime);

    /// <summary>
    /// Decodes with DER first and falls back to BER: certificates in the wild carry BER-isms (BOOLEAN TRUE as 0x01,
    /// unsorted SETs) that OpenSSL and browsers accept, and the signature covers the bytes as encoded either way.
    /// </summary>
    public static T DecodeLenient<T>(ReadOnlyMemory<byte> encoded, Func<AsnReader, T> decode)
    {
        try
        {
            return decode(new AsnReader(encoded, AsnEncodingRules.DER));
        }
        catch (AsnContentException)
        {
            return decode(new AsnReader(encoded, AsnEncodingRules.BER));
        }
    }

    /// <summary>Reads an AlgorithmIdentifier (RFC 5280 §4.1.1.2).</summary>
    public static AlgorithmIdentifier ReadAlgorithmIdentifier(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oid = sequence.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? parameters = sequence.HasData ? sequence.ReadEncodedValue() : null;
        sequence.ThrowIfNotEmpty();
        return new AlgorithmIdentifier(oid, parameters);
    }

    /// <summary>
    /// Reads an INTEGER's content octets without insisting on minimal encoding: serial numbers with redundant leading
    /// bytes exist in deployed certificates, and the exact bytes are what a serial is compared by.
    /// </summary>
    public static ReadOnlyMemory<byte> ReadIntegerContent(AsnReader reader, Asn1Tag? tag = null)
    {
        var expected = tag ?? Asn1Tag.Integer;
        var actual = reader.PeekTag();
        if (!actual.HasSameClassAndValue(expected) || actual.IsConstructed)
        {
            throw new AsnContentException($"expected INTEGER, found tag {actual}");
        }

        var encoded = reader.ReadEncodedValue();
        AsnDecoder.ReadEncodedValue(encoded.Span, reader.RuleSet, out var contentOffset, out var contentLength, out _);
        if (contentLength == 0)
        {
            throw new AsnContentException("INTEGER has no content octets");
        }

        return encoded.Slice(contentOffset, contentLength);
    }

    /// <summary>Reads a Time (RFC 5280 §4.1.2.5): UTCTime years 50–99 are 19xx, 00–49 are 20xx.</summary>
    public static DateTimeOffset ReadTime(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(UtcTimeTag))
        {
            return reader.ReadUtcTime(2049).ToUniversalTime();
        }

        if (tag.HasSameClassAndValue(GeneralizedTimeTag))
        {
            return reader.ReadGeneralizedTime().ToUniversalTime();
        }

        throw new AsnContentException($"expected UTCTime or GeneralizedTime, found tag {tag}");
    }

    /// <summary>Strips leading zero octets from an unsigned big-endian integer.</summary>
    public static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    /// <summary>Bit length of an unsigned big-endian integer.</summary>
    public static int BitLength(ReadOnlySpan<byte> unsignedBigEndian)
    {
        var trimmed = TrimLeadingZeros(unsignedBigEndian);
        if (trimmed.Length == 0 || trimmed[0] == 0)
        {
            return 0;
        }

        return ((trimmed.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)trimmed[0]));
    }
}
