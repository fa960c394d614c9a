using System.Buffers.Binary;
using System.Text;

namespace Certitude.Tls.StartTls;

/// <summary>
/// MySQL and MariaDB: the server's initial handshake, then the client's SSLRequest packet, then TLS (MySQL client/server
/// protocol documentation: "Protocol::HandshakeV10", "Protocol::SSLRequest", "Capabilities Flags").
/// </summary>
internal static class MySqlStartTls
{
    private const uint ClientLongPassword = 0x0000_0001;
    private const uint ClientProtocol41 = 0x0000_0200;
    private const uint ClientSsl = 0x0000_0800;
    private const uint ClientSecureConnection = 0x0000_8000;

    /// <summary>The largest greeting accepted; a real one is under 150 bytes.</summary>
    private const int MaxPacketLength = 16 * 1024;

    /// <summary>utf8mb4_general_ci, sent when the server's greeting has no character set.</summary>
    private const byte DefaultCharacterSet = 45;

    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        var (sequence, greeting) = await ReadPacketAsync(connection).ConfigureAwait(false);
        if (greeting.Length > 0 && greeting[0] == 0xff)
        {
            // ERR_Packet instead of a greeting: 0xff, int<2> error code, then (no "#state" before the handshake)
            // the message — e.g. "Host '...' is not allowed to connect" or "Too many connections".
            var code = greeting.Length >= 3 ? BinaryPrimitives.ReadUInt16LittleEndian(greeting.AsSpan(1)) : 0;
            throw connection.Fail($"the server refused the connection with error {code}", Encoding.UTF8.GetString(greeting.AsSpan(Math.Min(3, greeting.Length))));
        }

        if (sequence != 0 || greeting.Length == 0 || greeting[0] != 10)
        {
            throw connection.Fail("the server's greeting is not a protocol 10 handshake", Encoding.Latin1.GetString(greeting));
        }

        // HandshakeV10: protocol version, NUL-terminated server version, int<4> connection id, 8 bytes of
        // auth-plugin-data, a filler byte, int<2> lower capability flags, then optionally int<1> character set,
        // int<2> status flags, int<2> upper capability flags ...
        var versionEnd = Array.IndexOf(greeting, (byte)0, 1);
        var position = versionEnd + 1 + 4 + 8 + 1;
        if (versionEnd < 0 || position + 2 > greeting.Length)
        {
            throw connection.Fail("the server's handshake packet is truncated", Encoding.Latin1.GetString(greeting));
        }

        uint capabilities = BinaryPrimitives.ReadUInt16LittleEndian(greeting.AsSpan(position));
        position += 2;
        var characterSet = position < greeting.Length ? greeting[position] : DefaultCharacterSet;
        if (position + 5 <= greeting.Length)
        {
            capabilities |= (uint)BinaryPrimitives.ReadUInt16LittleEndian(greeting.AsSpan(position + 3)) << 16;
        }

        if ((capabilities & ClientSsl) == 0)
        {
            var version = Encoding.Latin1.GetString(greeting.AsSpan(1, versionEnd - 1));
            throw connection.Fail("the server does not offer SSL (no CLIENT_SSL capability)", version);
        }

        // SSLRequest: int<4> client capabilities, int<4> max packet size, int<1> character set, 23 zero bytes; it
        // is the second packet of the exchange (sequence id 1). The server sends nothing more: TLS starts.
        var request = new byte[4 + 32];
        request[0] = 32;
        request[3] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), ClientLongPassword | ClientProtocol41 | ClientSsl | ClientSecureConnection);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), 16 * 1024 * 1024);
        request[12] = characterSet;
        await connection.WriteAsync(request).ConfigureAwait(false);
    }

    /// <summary>A packet: int&lt;3&gt; payload length, int&lt;1&gt; sequence id, payload.</summary>
    private static async Task<(byte Sequence, byte[] Payload)> ReadPacketAsync(StartTlsConnection connection)
    {
        var header = new byte[4];
        await connection.ReadExactlyAsync(header).ConfigureAwait(false);
        var length = header[0] | (header[1] << 8) | (header[2] << 16);
        if (length > MaxPacketLength)
        {
            throw connection.Fail($"the server's first packet is {length} bytes long, not a handshake", Encoding.Latin1.GetString(header));
        }

        var payload = new byte[length];
        await connection.ReadExactlyAsync(payload).ConfigureAwait(false);
        return (header[3], payload);
    }
}
