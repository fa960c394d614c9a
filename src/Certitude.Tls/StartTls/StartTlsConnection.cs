using System.Text;

namespace Certitude.Tls.StartTls;

/// <summary>
/// The plain-text half of a connection being upgraded: reads the server's replies and writes the client's commands,
/// with hard limits so that a hostile or broken server cannot make the negotiation read without end.
/// </summary>
/// <remarks>
/// Nothing is ever read ahead. Lines are read one byte at a time and binary messages by their declared length, so
/// the last byte consumed is the last byte of the server's agreement, and the TLS records that follow stay in the
/// stream for the caller's TLS client. (Servers send nothing after agreeing until they have the ClientHello, so a
/// buffer would usually be empty anyway — but "usually" is not good enough for a byte the TLS client then misses.)
/// The few hundred bytes a negotiation exchanges make a read per byte cheap enough.
/// </remarks>
internal sealed class StartTlsConnection(Stream stream, StartTlsProtocol protocol, CancellationToken cancellationToken)
{
    /// <summary>The longest line accepted (a reply line is well under 1 KiB in practice; RFC 5321 §4.5.3.1.5 caps SMTP's at 512).</summary>
    public const int MaxLineLength = 4 * 1024;

    /// <summary>The most the server may send before it agrees to TLS, all replies together.</summary>
    public const int MaxTotalBytes = 64 * 1024;

    /// <summary>The most lines one multi-line reply may have (an EHLO reply has a dozen).</summary>
    public const int MaxReplyLines = 256;

    private const int MaxQuotedLength = 200;

    private readonly byte[] _oneByte = new byte[1];
    private int _totalRead;

    public StartTlsProtocol Protocol { get; } = protocol;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Reads one line ending in LF (a CR before it is dropped), as Latin-1 text.</summary>
    public async ValueTask<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            var value = await ReadByteAsync().ConfigureAwait(false);
            if (value == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }

                return line.ToString();
            }

            if (line.Length >= MaxLineLength)
            {
                throw Fail($"the server sent a line longer than {MaxLineLength} bytes", line.ToString());
            }

            line.Append((char)value);
        }
    }

    /// <summary>Reads one byte; the end of the stream is a failure (the server hung up mid-negotiation).</summary>
    public async ValueTask<byte> ReadByteAsync()
    {
        await ReadExactlyAsync(_oneByte).ConfigureAwait(false);
        return _oneByte[0];
    }

    /// <summary>Fills <paramref name="buffer"/> exactly, counting towards <see cref="MaxTotalBytes"/>.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> buffer)
    {
        if (_totalRead + buffer.Length > MaxTotalBytes)
        {
            throw Fail($"the server sent more than {MaxTotalBytes} bytes without agreeing to TLS");
        }

        var filled = 0;
        while (filled < buffer.Length)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer[filled..], CancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // A caller's timeout may close the stream instead of (or as well as) cancelling the token: that is
                // the cancellation it asked for, not the server's answer.
                CancellationToken.ThrowIfCancellationRequested();
                throw Fail("the connection failed: " + exception.Message, inner: exception);
            }

            if (read == 0)
            {
                throw Fail("the server closed the connection", filled > 0 ? Encoding.Latin1.GetString(buffer.Span[..filled]) : null);
            }

            filled += read;
        }

        _totalRead += buffer.Length;
    }

    /// <summary>Writes <paramref name="command"/> (ASCII) followed by CRLF.</summary>
    public ValueTask WriteLineAsync(string command) => WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));

    /// <summary>Writes and flushes <paramref name="bytes"/>.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await stream.WriteAsync(bytes, CancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            CancellationToken.ThrowIfCancellationRequested();
            throw Fail("the connection failed: " + exception.Message, inner: exception);
        }
    }

    /// <summary>The exception for a refusal or an unexpected reply, quoting what the server said.</summary>
    public StartTlsException Fail(string message, string? reply = null, Exception? inner = null) =>
        new(Protocol, reply is null ? $"{Protocol} STARTTLS: {message}" : $"{Protocol} STARTTLS: {message}: \"{Quote(reply)}\"", inner);

    /// <summary>
    /// The server's words made safe for a log line or a web page: printable ASCII only (line breaks shown as " | ",
    /// anything else as '.'), cut to a couple of hundred characters.
    /// </summary>
    public static string Quote(string reply)
    {
        var text = new StringBuilder(Math.Min(reply.Length, MaxQuotedLength) + 3);
        foreach (var character in reply.TrimEnd('\r', '\n'))
        {
            if (text.Length >= MaxQuotedLength)
            {
                return text.Append("...").ToString();
            }

            text.Append(character switch
            {
                '\n' => " | ",
                '\r' => "",
                >= ' ' and <= '~' => character.ToString(),
                _ => ".",
            });
        }

        return text.ToString();
    }
}
