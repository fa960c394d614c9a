using System.Text;

namespace Certitude.Tls.Tests.StartTls;

/// <summary>
/// A connection without a socket: reads give the server's bytes (all that is asked for, as a socket with everything
/// already received would), writes are recorded. What is left unread afterwards shows whether a negotiator read ahead.
/// </summary>
internal sealed class ReplayStream(byte[] serverBytes) : Stream
{
    private readonly MemoryStream _written = new();
    private int _position;

    public ReplayStream(string serverText)
        : this(Encoding.Latin1.GetBytes(serverText))
    {
    }

    /// <summary>What the client wrote, as Latin-1 text.</summary>
    public string Written => Encoding.Latin1.GetString(_written.ToArray());

    /// <summary>The server's bytes the client has not read.</summary>
    public byte[] Unread => serverBytes[_position..];

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Math.Min(count, serverBytes.Length - _position);
        Array.Copy(serverBytes, _position, buffer, offset, read);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
