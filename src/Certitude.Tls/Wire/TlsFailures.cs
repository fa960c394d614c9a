using Certitude.Tls.Probing;

namespace Certitude.Tls.Wire;

/// <summary>The exceptions the codec throws, so every failure carries the right <see cref="TlsProbeFailure"/>.</summary>
internal static class TlsFailures
{
    public static TlsProbeException Malformed(string message) => new(TlsProbeFailure.Malformed, message);

    public static TlsProbeException NotTls(string message) => new(TlsProbeFailure.NotTls, message);

    public static TlsProbeException TooLarge(string message) => new(TlsProbeFailure.TooLarge, message);

    public static TlsProbeException ConnectionClosed(string message, Exception? inner = null) =>
        new(TlsProbeFailure.ConnectionClosed, message, inner: inner);

    public static TlsProbeException Alert(byte level, byte description) =>
        new(TlsProbeFailure.Alert, $"the server sent a {(level == 1 ? "warning" : "fatal")} alert {description} ({AlertName(description)})", description);

    /// <summary>RFC 8446 §6 and RFC 5246 §7.2 names, for the message only.</summary>
    private static string AlertName(byte description) => description switch
    {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        47 => "illegal_parameter",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        120 => "no_application_protocol",
        _ => "unknown",
    };
}
