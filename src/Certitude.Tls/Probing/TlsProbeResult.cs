namespace Certitude.Tls.Probing;

/// <summary>What the server answered to a probe, up to and including its Certificate message.</summary>
/// <param name="Protocol">The version the server chose for this probe.</param>
/// <param name="CipherSuite">The cipher suite the server chose (IANA code point).</param>
/// <param name="CipherSuiteName">The IANA name of <paramref name="CipherSuite"/>, or its hexadecimal code when unknown.</param>
/// <param name="ServerSupportsTls13">
/// True when the server chose TLS 1.3, or chose a lower version but marked its random with the RFC 8446 §4.1.3
/// downgrade sentinel (it speaks TLS 1.3 to clients that offer it).
/// </param>
/// <param name="CertificateChain">The DER certificates exactly as the server sent them, leaf first.</param>
public sealed record TlsProbeResult(
    TlsProtocolVersion Protocol,
    ushort CipherSuite,
    string CipherSuiteName,
    bool ServerSupportsTls13,
    IReadOnlyList<byte[]> CertificateChain);
