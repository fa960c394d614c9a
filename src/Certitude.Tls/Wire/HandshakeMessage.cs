namespace Certitude.Tls.Wire;

/// <summary>One reassembled handshake message; its memory belongs to the reader and is valid until the next read.</summary>
/// <param name="Type">The handshake type (RFC 8446 §4).</param>
/// <param name="Raw">The whole message including its 4-byte header, as it enters the transcript hash (RFC 8446 §4.4.1).</param>
internal readonly record struct HandshakeMessage(byte Type, ReadOnlyMemory<byte> Raw)
{
    public ReadOnlyMemory<byte> Body => Raw[4..];
}
