namespace Certitude.Tls.Wire;

/// <summary>Record content types (RFC 8446 §5.1, RFC 5246 §6.2.1).</summary>
internal static class TlsContentType
{
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
}
