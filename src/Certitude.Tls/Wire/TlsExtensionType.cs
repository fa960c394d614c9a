namespace Certitude.Tls.Wire;

/// <summary>Extension code points (IANA "TLS ExtensionType Values").</summary>
internal static class TlsExtensionType
{
    public const ushort ServerName = 0;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort Padding = 21;
    public const ushort ExtendedMasterSecret = 23;
    public const ushort SupportedVersions = 43;
    public const ushort Cookie = 44;
    public const ushort KeyShare = 51;
}
