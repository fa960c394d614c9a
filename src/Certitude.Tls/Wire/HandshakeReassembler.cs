using System.Buffers;

namespace Certitude.Tls.Wire;

/// <summary>
/// Joins handshake fragments into messages: a message may span several records and a record may carry several
/// messages (RFC 8446 §5.1, RFC 5246 §6.2.1). A message announcing more than
/// <see cref="TlsLimits.MaxHandshakeMessageLength"/> fails as soon as its 4-byte header is in, before its body is read.
/// </summary>
internal sealed class HandshakeReassembler : IDisposable
{
    private const int HeaderLength = 4;

    private const int InitialSize = 16 * 1024;

    private byte[] _buffer = [];
    private int _start;
    private int _end;

    public bool IsEmpty => _start == _end;

    /// <summary>Room for <paramref name="length"/> more bytes; <see cref="Advance"/> commits what was written.</summary>
    public Span<byte> GetSpan(int length)
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialSize, length));
        }
        else if (_end + length > _buffer.Length)
        {
            var used = _end - _start;
            if (used + length <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, used);
            }
            else
            {
                // Bounded: TryRead rejects a message over the limit once its header is in, so at most one partial
                // message at the limit plus one record are ever held.
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, used + length));
                Buffer.BlockCopy(_buffer, _start, larger, 0, used);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            _start = 0;
            _end = used;
        }

        return _buffer.AsSpan(_end, length);
    }

    public void Advance(int count) => _end += count;

    public void Append(ReadOnlySpan<byte> fragment)
    {
        fragment.CopyTo(GetSpan(fragment.Length));
        Advance(fragment.Length);
    }

    public bool TryRead(out HandshakeMessage message)
    {
        var available = _end - _start;
        if (available >= HeaderLength)
        {
            var length = (_buffer[_start + 1] << 16) | (_buffer[_start + 2] << 8) | _buffer[_start + 3];
            if (length > TlsLimits.MaxHandshakeMessageLength)
            {
                throw TlsFailures.TooLarge($"a handshake message of type {_buffer[_start]} announces {length} bytes, more than the probe accepts ({TlsLimits.MaxHandshakeMessageLength})");
            }

            if (available >= HeaderLength + length)
            {
                message = new HandshakeMessage(_buffer[_start], _buffer.AsMemory(_start, HeaderLength + length));
                _start += HeaderLength + length;
                return true;
            }
        }

        message = default;
        return false;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
