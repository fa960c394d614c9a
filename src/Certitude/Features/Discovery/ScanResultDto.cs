using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;

namespace Certitude.Features.Discovery;

/// <summary>
/// One endpoint's scan result on the wire: what <c>certitude scan --server</c> and agents send to the server, and
/// what <c>certitude scan --format json</c> prints (with the certificate summary added there).
/// </summary>
/// <param name="Address">The address connected to.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="HostName">The name sent as SNI, when the target was a host name.</param>
/// <param name="StartTls">"none", "smtp", "imap", ... (lower case <see cref="StartTlsProtocol"/>).</param>
/// <param name="Protocol">"TLSv1.2", "TLSv1.3", ... as negotiated by the probe; null on failure.</param>
/// <param name="CipherSuite">IANA name of the suite the probe negotiated.</param>
/// <param name="SupportsTls13">Whether the server speaks TLS 1.3.</param>
/// <param name="Chain">The presented chain, leaf first, base64 DER; empty on failure.</param>
/// <param name="ChainWithoutSni">The chain presented to a probe without SNI (host-name targets only); null when not probed or the probe failed.</param>
/// <param name="HandshakeMs">From ClientHello to certificate, in milliseconds.</param>
/// <param name="Failure">Lower-case <see cref="EndpointFailure"/> when no certificate was read.</param>
/// <param name="Error">Readable message for the failure.</param>
/// <param name="ScannedAt">When the endpoint was probed.</param>
public sealed record ScanResultDto(
    string Address,
    int Port,
    string? HostName,
    string StartTls,
    string? Protocol,
    string? CipherSuite,
    bool SupportsTls13,
    IReadOnlyList<string> Chain,
    IReadOnlyList<string>? ChainWithoutSni,
    double? HandshakeMs,
    string? Failure,
    string? Error,
    DateTimeOffset ScannedAt);
