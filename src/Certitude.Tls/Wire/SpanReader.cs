namespace Certitude.Tls.Wire;

/// <summary>
/// Reads the TLS presentation language (RFC 8446 §3): big-endian integers and length-prefixed vectors. Every read is
/// bounds-checked and a short buffer is a <see cref="Probing.TlsProbeFailure.Malformed"/> message, never an
/// IndexOutOfRangeException.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly string _context;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> span, string context)
    {
        _span = span;
        _context = context;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public byte ReadUInt8() => ReadBytes(1)[0];

    public ushort ReadUInt16()
    {
        var bytes = ReadBytes(2);
        return (ushort)((bytes[0] << 8) | bytes[1]);
    }

    public int ReadUInt24()
    {
        var bytes = ReadBytes(3);
        return (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw TlsFailures.Malformed($"the {_context} is truncated or its lengths are inconsistent");
        }

        var bytes = _span.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadVector8() => ReadBytes(ReadUInt8());

    public ReadOnlySpan<byte> ReadVector16() => ReadBytes(ReadUInt16());

    public ReadOnlySpan<byte> ReadVector24() => ReadBytes(ReadUInt24());
}
