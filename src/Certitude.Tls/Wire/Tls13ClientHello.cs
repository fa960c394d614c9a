using System.Buffers;

namespace Certitude.Tls.Wire;

/// <summary>
/// The TLS 1.3 probe's ClientHello (RFC 8446 §4.1.2): supported_versions with 0x0304 only, the three TLS 1.3 suites,
/// key shares, and no PSK. A second ClientHello after a HelloRetryRequest is the same with the requested share and
/// the server's cookie (§4.1.4).
/// </summary>
internal static class Tls13ClientHello
{
    /// <summary>The hello as one record (header included); the handshake message is the bytes from offset 5.</summary>
    /// <param name="hostName">From <see cref="ServerNameIndication.ToHostName"/>, or null.</param>
    /// <param name="random">32 bytes, the same in both hellos.</param>
    /// <param name="sessionId">
    /// 32 bytes: a non-empty legacy_session_id turns on the server's middlebox compatibility mode (RFC 8446 §D.4), the
    /// shape of hello that passes through the most network gear.
    /// </param>
    /// <param name="shares">The key shares to send.</param>
    /// <param name="cookie">The HelloRetryRequest's cookie, or empty.</param>
    public static byte[] Build(string? hostName, ReadOnlySpan<byte> random, ReadOnlySpan<byte> sessionId, IReadOnlyList<Tls13KeyShare> shares, ReadOnlySpan<byte> cookie)
    {
        var size = 512 + ClientHelloExtensions.MaxServerNameLength + cookie.Length;
        for (var i = 0; i < shares.Count; i++)
        {
            size += 4 + shares[i].PublicKey.Length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var writer = new SpanWriter(buffer);
            writer.WriteUInt8(TlsContentType.Handshake);
            writer.WriteUInt16(0x0301);
            var record = writer.ReserveLength16();
            writer.WriteUInt8(TlsHandshakeType.ClientHello);
            var message = writer.ReserveLength24();
            writer.WriteUInt16(0x0303);
            writer.WriteBytes(random);
            writer.WriteUInt8((byte)sessionId.Length);
            writer.WriteBytes(sessionId);
            var suites = CipherSuites.Tls13Offer;
            writer.WriteUInt16((ushort)(suites.Length * 2));
            foreach (var suite in suites)
            {
                writer.WriteUInt16(suite);
            }

            writer.WriteUInt8(1);
            writer.WriteUInt8(0);

            var extensions = writer.ReserveLength16();
            if (hostName is not null)
            {
                ClientHelloExtensions.WriteServerName(ref writer, hostName);
            }

            ClientHelloExtensions.WriteSupportedGroups(ref writer);
            ClientHelloExtensions.WriteSignatureAlgorithms(ref writer);

            writer.WriteUInt16(TlsExtensionType.SupportedVersions);
            writer.WriteUInt16(3);
            writer.WriteUInt8(2);
            writer.WriteUInt16(0x0304);

            writer.WriteUInt16(TlsExtensionType.KeyShare);
            var keyShare = writer.ReserveLength16();
            var entries = writer.ReserveLength16();
            for (var i = 0; i < shares.Count; i++)
            {
                writer.WriteUInt16(shares[i].Group);
                writer.WriteUInt16((ushort)shares[i].PublicKey.Length);
                writer.WriteBytes(shares[i].PublicKey);
            }

            writer.PatchLength16(entries);
            writer.PatchLength16(keyShare);

            if (!cookie.IsEmpty)
            {
                writer.WriteUInt16(TlsExtensionType.Cookie);
                writer.WriteUInt16((ushort)(cookie.Length + 2));
                writer.WriteUInt16((ushort)cookie.Length);
                writer.WriteBytes(cookie);
            }

            writer.PatchLength16(extensions);
            writer.PatchLength24(message);
            writer.PatchLength16(record);
            return writer.Written.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
