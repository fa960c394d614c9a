using System.Buffers.Binary;
using System.Text;

namespace Certitude.Tls.StartTls;

/// <summary>
/// PostgreSQL: SSLRequest (PostgreSQL documentation, "Frontend/Backend Protocol", §55.2.10 "SSL Session
/// Encryption" and §55.7 "Message Formats").
/// </summary>
internal static class PostgreSqlStartTls
{
    /// <summary>The SSLRequest code: 1234 in the most significant 16 bits, 5679 in the least.</summary>
    private const int SslRequestCode = 80877103;

    /// <summary>The longest ErrorResponse read to quote it (an old server's refusal is one short message).</summary>
    private const int MaxErrorLength = 4096;

    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        var request = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, 8);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
        await connection.WriteAsync(request).ConfigureAwait(false);

        // One byte: 'S' and TLS starts, 'N' no TLS. A server older than SSL support answers with an ErrorResponse.
        var answer = await connection.ReadByteAsync().ConfigureAwait(false);
        switch (answer)
        {
            case (byte)'S':
                return;
            case (byte)'N':
                throw connection.Fail("the server does not accept SSL (answered 'N' to SSLRequest)");
            case (byte)'E':
                throw connection.Fail("the server answered SSLRequest with an error", await ReadErrorAsync(connection).ConfigureAwait(false));
            default:
                throw connection.Fail($"unexpected answer 0x{answer:x2} to SSLRequest");
        }
    }

    /// <summary>The message fields ('M') of an ErrorResponse whose type byte was read: Int32 length, then fields.</summary>
    private static async Task<string> ReadErrorAsync(StartTlsConnection connection)
    {
        var lengthBytes = new byte[4];
        await connection.ReadExactlyAsync(lengthBytes).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length < 4 || length > MaxErrorLength)
        {
            throw connection.Fail($"the server's error message has an implausible length {length}");
        }

        var body = new byte[length - 4];
        await connection.ReadExactlyAsync(body).ConfigureAwait(false);

        // Fields: a type byte and a NUL-terminated string each, a final NUL. The human message has type 'M'.
        var fields = Encoding.UTF8.GetString(body).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var message = fields.FirstOrDefault(field => field[0] == 'M');
        return message is null ? string.Join(' ', fields) : message[1..];
    }
}
