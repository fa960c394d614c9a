namespace Certitude.Tls.Wire;

/// <summary>Named groups the probe offers (RFC 8446 §4.2.7, RFC 8422 §5.1.1).</summary>
internal static class TlsNamedGroup
{
    public const ushort Secp256r1 = 23;
    public const ushort Secp384r1 = 24;
    public const ushort Secp521r1 = 25;
    public const ushort X25519 = 29;
}
