namespace Certitude.Tls.Wire;

/// <summary>
/// Writes the TLS presentation language into a span sized in advance; vector lengths are reserved first and patched
/// once the contents are written, so a message is built in one pass without intermediate buffers.
/// </summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _span;

    public SpanWriter(Span<byte> span)
    {
        _span = span;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _span[..Position];

    public void WriteUInt8(byte value)
    {
        _span[Position] = value;
        Position++;
    }

    public void WriteUInt16(ushort value)
    {
        _span[Position] = (byte)(value >> 8);
        _span[Position + 1] = (byte)value;
        Position += 2;
    }

    public void WriteUInt24(int value)
    {
        _span[Position] = (byte)(value >> 16);
        _span[Position + 1] = (byte)(value >> 8);
        _span[Position + 2] = (byte)value;
        Position += 3;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[Position..]);
        Position += bytes.Length;
    }

    /// <summary>The next <paramref name="count"/> bytes, to be filled by the caller.</summary>
    public Span<byte> Take(int count)
    {
        var slice = _span.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>Reserves a 2-byte length; <see cref="PatchLength16"/> fills it with the number of bytes written after it.</summary>
    public int ReserveLength16()
    {
        var at = Position;
        Position += 2;
        return at;
    }

    public int ReserveLength24()
    {
        var at = Position;
        Position += 3;
        return at;
    }

    public readonly void PatchLength16(int at)
    {
        var length = Position - at - 2;
        _span[at] = (byte)(length >> 8);
        _span[at + 1] = (byte)length;
    }

    public readonly void PatchLength24(int at)
    {
        var length = Position - at - 3;
        _span[at] = (byte)(length >> 16);
        _span[at + 1] = (byte)(length >> 8);
        _span[at + 2] = (byte)length;
    }
}
