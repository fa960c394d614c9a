using System.Globalization;

namespace Certitude.Tls.Wire;

/// <summary>
/// Cipher suite code points and their IANA names ("TLS Cipher Suites" registry): the suites the probes offer and the
/// common ones a server may still choose.
/// </summary>
internal static class CipherSuites
{
    public const ushort TlsAes128GcmSha256 = 0x1301;
    public const ushort TlsAes256GcmSha384 = 0x1302;
    public const ushort TlsChaCha20Poly1305Sha256 = 0x1303;
    public const ushort EmptyRenegotiationInfoScsv = 0x00FF;

    /// <summary>
    /// The legacy ClientHello's list. RSA key transport first: a server that picks one sends its Certificate
    /// without computing a signature or an ephemeral key, which is what makes a certificate probe cheap for both
    /// sides. Then ECDHE_ECDSA and ECDHE_RSA, so that servers with only an ECDSA certificate or without RSA key
    /// transport (most modern configurations) still answer; then DHE and the old ciphers ancient servers need.
    /// </summary>
    public static ReadOnlySpan<ushort> LegacyOffer =>
    [
        0x009C, 0x009D, 0x002F, 0x0035, 0x003C, 0x003D, 0x000A, 0x0041, 0x0084, 0x0005, 0x0004,
        0xC02B, 0xC02C, 0xCCA9, 0xC023, 0xC024, 0xC009, 0xC00A, 0xC008,
        0xC02F, 0xC030, 0xCCA8, 0xC027, 0xC028, 0xC013, 0xC014, 0xC012,
        0x009E, 0x009F, 0xCCAA, 0x0067, 0x006B, 0x0033, 0x0039, 0x0016,
        0x0032, 0x0038, 0x0013,
        EmptyRenegotiationInfoScsv,
    ];

    /// <summary>The three TLS 1.3 suites every implementation has (RFC 8446 §9.1, §B.4).</summary>
    public static ReadOnlySpan<ushort> Tls13Offer => [TlsAes128GcmSha256, TlsAes256GcmSha384, TlsChaCha20Poly1305Sha256];

    public static bool IsOffered(ReadOnlySpan<ushort> offer, ushort suite) => suite != EmptyRenegotiationInfoScsv && offer.Contains(suite);

    /// <summary>The IANA name, or "0x" and the code in hexadecimal when the suite is not in this table.</summary>
    public static string GetName(ushort suite) => suite switch
    {
        0x0004 => "TLS_RSA_WITH_RC4_128_MD5",
        0x0005 => "TLS_RSA_WITH_RC4_128_SHA",
        0x000A => "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x0013 => "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
        0x0016 => "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0x002F => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0032 => "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
        0x0033 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x0038 => "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
        0x0039 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x003C => "TLS_RSA_WITH_AES_128_CBC_SHA256",
        0x003D => "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x0041 => "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
        0x0067 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        0x006B => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        0x0084 => "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        0x009C => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009D => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009E => "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009F => "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x00FF => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0x1304 => "TLS_AES_128_CCM_SHA256",
        0x1305 => "TLS_AES_128_CCM_8_SHA256",
        0x5600 => "TLS_FALLBACK_SCSV",
        0xC008 => "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
        0xC009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xC00A => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC011 => "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        0xC012 => "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0xC013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xC014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xC023 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xC024 => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC027 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        0xC028 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0xC02B => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02C => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02F => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xC030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xC09C => "TLS_RSA_WITH_AES_128_CCM",
        0xC09D => "TLS_RSA_WITH_AES_256_CCM",
        0xC0AC => "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        0xC0AD => "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        0xCCA8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAA => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        _ => "0x" + suite.ToString("X4", CultureInfo.InvariantCulture),
    };
}
