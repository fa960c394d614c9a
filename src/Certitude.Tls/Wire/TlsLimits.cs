namespace Certitude.Tls.Wire;

/// <summary>
/// The bounds that keep a probe's memory small whatever the server sends: a hostile server can announce a 16 MB
/// handshake message or stream records forever, and the scanner runs thousands of probes at once.
/// </summary>
internal static class TlsLimits
{
    /// <summary>The largest record fragment TLS allows at all: 2^14 + 2048 for TLSCiphertext (RFC 5246 §6.2.3).</summary>
    public const int MaxRecordFragmentLength = 16384 + 2048;

    /// <summary>The largest handshake message the probe accepts; real certificate chains are a few KiB.</summary>
    public const int MaxHandshakeMessageLength = 256 * 1024;

    /// <summary>
    /// The most bytes one probe reads from the server: one message at the limit plus the record overhead and the
    /// messages before it. Also ends endless streams of records that carry no progress (warning alerts, empty records).
    /// </summary>
    public const int MaxBytesRead = MaxHandshakeMessageLength + (64 * 1024);
}
