using System.Buffers;

namespace Certitude.Tls.Wire;

/// <summary>
/// Reads TLS records from a stream into one pooled buffer, reading as much as the stream offers at a time (a whole
/// server flight usually arrives in one or two reads) but never more than <see cref="TlsLimits.MaxBytesRead"/> in all.
/// Checks the header bytes as soon as they arrive, so a plain-text banner is recognized without waiting for five bytes.
/// The buffer is rented only once the server's first bytes are there: a scanner has thousands of probes waiting on
/// slow or silent servers, and they should not each hold 32 KiB while they wait.
/// </summary>
internal sealed class TlsRecordReader : IDisposable
{
    public const int HeaderLength = 5;

    private readonly Stream _stream;
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private bool _sawRecord;

    public TlsRecordReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Bytes read from the stream so far.</summary>
    public int BytesRead { get; private set; }

    public async ValueTask<TlsRecord> ReadAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length == 0)
        {
            // A zero-byte read waits for data without a buffer (sockets support it; other streams return at once).
            await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            _buffer = ArrayPool<byte>.Shared.Rent(HeaderLength + TlsLimits.MaxRecordFragmentLength);
        }

        await FillAsync(HeaderLength, cancellationToken).ConfigureAwait(false);
        var length = (_buffer[_start + 3] << 8) | _buffer[_start + 4];
        if (length > TlsLimits.MaxRecordFragmentLength)
        {
            // RFC 8446 §5.2 / RFC 5246 §6.2.3: record_overflow.
            throw TlsFailures.Malformed($"a record announces {length} bytes, more than TLS allows ({TlsLimits.MaxRecordFragmentLength})");
        }

        await FillAsync(HeaderLength + length, cancellationToken).ConfigureAwait(false);
        var record = new TlsRecord(
            _buffer[_start],
            _buffer.AsMemory(_start, HeaderLength),
            _buffer.AsMemory(_start + HeaderLength, length));
        _start += HeaderLength + length;
        _sawRecord = true;
        return record;
    }

    private async ValueTask FillAsync(int needed, CancellationToken cancellationToken)
    {
        while (_end - _start < needed)
        {
            if (_start + needed > _buffer.Length)
            {
                // The previous record's memory is no longer in use: move the partial record to the front.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (BytesRead >= TlsLimits.MaxBytesRead)
            {
                throw TlsFailures.TooLarge($"the server sent more than {TlsLimits.MaxBytesRead} bytes without sending its certificate");
            }

            var room = Math.Min(_buffer.Length - _end, TlsLimits.MaxBytesRead - BytesRead);
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end, room), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw TlsFailures.ConnectionClosed(BytesRead == 0
                    ? "the server closed the connection without answering the ClientHello"
                    : "the server closed the connection before sending its certificate");
            }

            _end += read;
            BytesRead += read;
            CheckHeader();
        }
    }

    /// <summary>
    /// A record starts with a content type of 20 to 23 and the major version 3 (RFC 8446 §5.1); anything else in the
    /// first record means the service does not speak TLS, later it means a broken TLS stream.
    /// </summary>
    private void CheckHeader()
    {
        var available = _end - _start;
        var type = _buffer[_start];
        if (type is < TlsContentType.ChangeCipherSpec or > TlsContentType.ApplicationData
            || (available >= 2 && _buffer[_start + 1] != 3))
        {
            throw _sawRecord
                ? TlsFailures.Malformed("a record header is invalid")
                : TlsFailures.NotTls("the server's answer does not start with a TLS record");
        }
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
