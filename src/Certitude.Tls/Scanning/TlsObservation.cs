using Certitude.Tls.Probing;

namespace Certitude.Tls.Scanning;

/// <summary>What one probe of an endpoint saw.</summary>
/// <param name="Protocol">The version the server chose for the probe.</param>
/// <param name="CipherSuite">The IANA name of the suite it chose.</param>
/// <param name="ServerSupportsTls13">Whether the server speaks TLS 1.3 (chosen, or announced by the downgrade sentinel).</param>
/// <param name="Chain">The DER certificates as the server sent them, leaf first.</param>
/// <param name="HandshakeTime">From the ClientHello sent to the certificate received.</param>
public sealed record TlsObservation(
    TlsProtocolVersion Protocol,
    string CipherSuite,
    bool ServerSupportsTls13,
    IReadOnlyList<byte[]> Chain,
    TimeSpan HandshakeTime);
