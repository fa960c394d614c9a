using System.Formats.Asn1;

namespace Certitude.Pki.Ocsp;

/// <summary>
/// A forward-only ASN.1 reader over a span, a struct counterpart of <see cref="AsnReader"/>: a responder reads one
/// request per HTTP call, and this reads it without copying the body or allocating a reader per nested SEQUENCE.
/// Errors surface as <see cref="AsnContentException"/>, as with <see cref="AsnDecoder"/>.
/// </summary>
internal ref struct AsnSpanReader
{
    private readonly AsnEncodingRules _rules;
    private ReadOnlySpan<byte> _data;

    public AsnSpanReader(ReadOnlySpan<byte> data, AsnEncodingRules rules)
    {
        _data = data;
        _rules = rules;
    }

    public readonly bool HasData => !_data.IsEmpty;

    public readonly Asn1Tag PeekTag()
    {
        return Asn1Tag.Decode(_data, out _);
    }

    /// <summary>True when the next value has <paramref name="tag"/>'s class and number (constructed or not).</summary>
    public readonly bool NextIs(Asn1Tag tag)
    {
        return HasData && PeekTag().HasSameClassAndValue(tag);
    }

    /// <summary>Reads a SEQUENCE, or an EXPLICIT tag given as <paramref name="tag"/>, and returns a reader over its content.</summary>
    public AsnSpanReader ReadSequence(Asn1Tag? tag = null)
    {
        AsnDecoder.ReadSequence(_data, _rules, out var contentOffset, out var contentLength, out var consumed, tag);
        var content = new AsnSpanReader(_data.Slice(contentOffset, contentLength), _rules);
        _data = _data[consumed..];
        return content;
    }

    /// <summary>Reads any value and returns its full encoding (tag, length, content).</summary>
    public ReadOnlySpan<byte> ReadEncodedValue()
    {
        AsnDecoder.ReadEncodedValue(_data, _rules, out _, out _, out var consumed);
        var encoded = _data[..consumed];
        _data = _data[consumed..];
        return encoded;
    }

    public byte[] ReadOctetString()
    {
        var value = AsnDecoder.ReadOctetString(_data, _rules, out var consumed);
        _data = _data[consumed..];
        return value;
    }

    public int ReadInt32(Asn1Tag? tag = null)
    {
        if (!AsnDecoder.TryReadInt32(_data, _rules, out var value, out var consumed, tag))
        {
            throw new AsnContentException("INTEGER does not fit in 32 bits");
        }

        _data = _data[consumed..];
        return value;
    }

    public bool ReadBoolean()
    {
        var value = AsnDecoder.ReadBoolean(_data, _rules, out var consumed);
        _data = _data[consumed..];
        return value;
    }

    /// <summary>
    /// Reads an INTEGER's content octets as they are, like <see cref="AsnReading.ReadIntegerContent"/>: serial numbers
    /// are matched by their exact bytes, and some deployed ones are not minimally encoded.
    /// </summary>
    public ReadOnlySpan<byte> ReadIntegerContent()
    {
        var tag = PeekTag();
        if (!tag.HasSameClassAndValue(Asn1Tag.Integer) || tag.IsConstructed)
        {
            throw new AsnContentException($"expected INTEGER, found tag {tag}");
        }

        AsnDecoder.ReadEncodedValue(_data, _rules, out var contentOffset, out var contentLength, out var consumed);
        if (contentLength == 0)
        {
            throw new AsnContentException("INTEGER has no content octets");
        }

        var content = _data.Slice(contentOffset, contentLength);
        _data = _data[consumed..];
        return content;
    }

    public readonly void ThrowIfNotEmpty()
    {
        if (HasData)
        {
            throw new AsnContentException("unexpected data after the end of a structure");
        }
    }
}
