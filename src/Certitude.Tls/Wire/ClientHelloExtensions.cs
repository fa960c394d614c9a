using System.Text;

namespace Certitude.Tls.Wire;

/// <summary>The ClientHello extensions both probes send.</summary>
internal static class ClientHelloExtensions
{
    /// <summary>x25519 first (what most servers prefer), then the NIST curves.</summary>
    public static ReadOnlySpan<ushort> Groups => [TlsNamedGroup.X25519, TlsNamedGroup.Secp256r1, TlsNamedGroup.Secp384r1, TlsNamedGroup.Secp521r1];

    /// <summary>
    /// Broad on purpose: the probe verifies no signature, it only must not be refused. ECDSA, EdDSA, RSA-PSS and
    /// PKCS#1 with SHA-2, then the SHA-1 and DSA schemes old servers may insist on (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1).
    /// </summary>
    public static ReadOnlySpan<ushort> SignatureSchemes =>
    [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0203, 0x0201, 0x0402, 0x0202,
    ];

    /// <summary>The most bytes <see cref="WriteServerName"/> writes: a 255-byte host name and 9 bytes of framing.</summary>
    public const int MaxServerNameLength = 9 + 255;

    /// <summary>server_name with one host_name (RFC 6066 §3); <paramref name="hostName"/> is ASCII (see <see cref="ServerNameIndication"/>).</summary>
    public static void WriteServerName(ref SpanWriter writer, string hostName)
    {
        writer.WriteUInt16(TlsExtensionType.ServerName);
        var extension = writer.ReserveLength16();
        var list = writer.ReserveLength16();
        writer.WriteUInt8(0);
        var name = writer.ReserveLength16();
        Encoding.ASCII.GetBytes(hostName, writer.Take(hostName.Length));
        writer.PatchLength16(name);
        writer.PatchLength16(list);
        writer.PatchLength16(extension);
    }

    public static void WriteSupportedGroups(ref SpanWriter writer)
    {
        writer.WriteUInt16(TlsExtensionType.SupportedGroups);
        WriteUInt16List(ref writer, Groups);
    }

    public static void WriteSignatureAlgorithms(ref SpanWriter writer)
    {
        writer.WriteUInt16(TlsExtensionType.SignatureAlgorithms);
        WriteUInt16List(ref writer, SignatureSchemes);
    }

    /// <summary>A uint16 list in a 2-byte vector, itself in a 2-byte extension_data vector.</summary>
    public static void WriteUInt16List(ref SpanWriter writer, ReadOnlySpan<ushort> values)
    {
        writer.WriteUInt16((ushort)((values.Length * 2) + 2));
        writer.WriteUInt16((ushort)(values.Length * 2));
        foreach (var value in values)
        {
            writer.WriteUInt16(value);
        }
    }
}
