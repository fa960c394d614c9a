namespace Certitude.Tls.Wire;

/// <summary>Handshake message types the probe sends or reads (RFC 8446 §4, RFC 5246 §7.4).</summary>
internal static class TlsHandshakeType
{
    public const byte ClientHello = 1;
    public const byte ServerHello = 2;
    public const byte EncryptedExtensions = 8;
    public const byte Certificate = 11;
    public const byte CertificateRequest = 13;

    /// <summary>The synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446 §4.4.1).</summary>
    public const byte MessageHash = 254;
}
