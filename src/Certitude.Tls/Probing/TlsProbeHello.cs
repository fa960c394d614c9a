namespace Certitude.Tls.Probing;

/// <summary>Which ClientHello a probe sends.</summary>
public enum TlsProbeHello
{
    /// <summary>
    /// A TLS 1.2 ClientHello without the supported_versions extension, so that servers from SSL 3.0 to TLS 1.2 answer
    /// with their certificate in the clear; RSA key transport suites come first, so that the server has no signature
    /// or key exchange to compute before it sends the certificate. The cheapest way to read a certificate.
    /// </summary>
    Legacy,

    /// <summary>
    /// A TLS 1.3 ClientHello (RFC 8446) with key shares; the probe derives the handshake keys and decrypts the
    /// server's Certificate message. For servers that refuse everything below TLS 1.3.
    /// </summary>
    Tls13,
}
