using System.Security.Cryptography;

namespace Certitude.Tls.Wire;

/// <summary>
/// The legacy probe's ClientHello: record version 0x0301 and client_version 0x0303 without supported_versions, so
/// every server from SSL 3.0 to TLS 1.2 answers in the clear (a TLS 1.3 server answers with TLS 1.2 and the downgrade
/// sentinel). Everything but the random and the server name is the same for every probe, so it is built once.
/// </summary>
internal static class LegacyClientHello
{
    private const int RecordHeaderLength = 5;
    private const int HandshakeHeaderLength = 4;
    private const int PaddedLength = 512;

    /// <summary>legacy_session_id (empty), cipher_suites and compression_methods (null only).</summary>
    private static readonly byte[] Suites = BuildSuites();

    /// <summary>Every extension but server_name.</summary>
    private static readonly byte[] Extensions = BuildExtensions();

    /// <summary>The largest hello <see cref="Write"/> produces: with a 255-byte name, and with padding when short.</summary>
    public static readonly int MaxLength = RecordHeaderLength + Math.Max(
        HandshakeHeaderLength + 2 + 32 + Suites.Length + 2 + ClientHelloExtensions.MaxServerNameLength + Extensions.Length,
        PaddedLength + 4);

    /// <summary>Writes the hello as one record into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes).</summary>
    /// <param name="destination">Where the record goes.</param>
    /// <param name="hostName">The server name from <see cref="ServerNameIndication.ToHostName"/>, or null for none.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Write(Span<byte> destination, string? hostName)
    {
        var writer = new SpanWriter(destination);
        writer.WriteUInt8(TlsContentType.Handshake);
        writer.WriteUInt16(0x0301);
        var record = writer.ReserveLength16();
        writer.WriteUInt8(TlsHandshakeType.ClientHello);
        var message = writer.ReserveLength24();
        writer.WriteUInt16(0x0303);
        RandomNumberGenerator.Fill(writer.Take(32));
        writer.WriteBytes(Suites);
        var extensions = writer.ReserveLength16();
        if (hostName is not null)
        {
            ClientHelloExtensions.WriteServerName(ref writer, hostName);
        }

        writer.WriteBytes(Extensions);

        // RFC 7685 §1: some TLS terminators (F5 BIG-IP) hang on a ClientHello of 256 to 511 bytes; padding it to 512
        // is what OpenSSL did for years for the same reason.
        var helloLength = writer.Position - RecordHeaderLength;
        if (helloLength is >= 256 and < PaddedLength)
        {
            var padding = Math.Max(0, PaddedLength - 4 - helloLength);
            writer.WriteUInt16(TlsExtensionType.Padding);
            writer.WriteUInt16((ushort)padding);
            writer.Take(padding).Clear();
        }

        writer.PatchLength16(extensions);
        writer.PatchLength24(message);
        writer.PatchLength16(record);
        return writer.Position;
    }

    private static byte[] BuildSuites()
    {
        var offer = CipherSuites.LegacyOffer;
        var bytes = new byte[1 + 2 + (offer.Length * 2) + 2];
        var writer = new SpanWriter(bytes);
        writer.WriteUInt8(0);
        writer.WriteUInt16((ushort)(offer.Length * 2));
        foreach (var suite in offer)
        {
            writer.WriteUInt16(suite);
        }

        writer.WriteUInt8(1);
        writer.WriteUInt8(0);
        return bytes;
    }

    private static byte[] BuildExtensions()
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new SpanWriter(buffer);
        ClientHelloExtensions.WriteSupportedGroups(ref writer);

        // RFC 8422 §5.1.2: uncompressed points only.
        writer.WriteUInt16(TlsExtensionType.EcPointFormats);
        writer.WriteUInt16(2);
        writer.WriteUInt8(1);
        writer.WriteUInt8(0);

        ClientHelloExtensions.WriteSignatureAlgorithms(ref writer);

        // RFC 7627: servers in FIPS mode (RHEL 9 policies) refuse TLS 1.2 without extended_master_secret.
        writer.WriteUInt16(TlsExtensionType.ExtendedMasterSecret);
        writer.WriteUInt16(0);
        return writer.Written.ToArray();
    }
}
