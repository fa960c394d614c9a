namespace Certitude.Tls.Probing;

/// <summary>A protocol version as carried on the wire (RFC 8446 §4.2.1, RFC 5246 §6.2.1, RFC 6101 for SSL 3.0).</summary>
public enum TlsProtocolVersion : ushort
{
    /// <summary>SSL 3.0 (RFC 6101, prohibited by RFC 7568).</summary>
    Ssl30 = 0x0300,

    /// <summary>TLS 1.0 (RFC 2246, deprecated by RFC 8996).</summary>
    Tls10 = 0x0301,

    /// <summary>TLS 1.1 (RFC 4346, deprecated by RFC 8996).</summary>
    Tls11 = 0x0302,

    /// <summary>TLS 1.2 (RFC 5246).</summary>
    Tls12 = 0x0303,

    /// <summary>TLS 1.3 (RFC 8446).</summary>
    Tls13 = 0x0304,
}
