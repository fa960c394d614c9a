namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// One row of <c>certitude scan</c>'s output. Its camelCase JSON form is a published format (scripts and the scanner
/// benchmark parse it): keep the names.
/// </summary>
/// <param name="Address">The address connected to; null for a host name that did not resolve.</param>
/// <param name="Port">The port; null for a host name without its own port that did not resolve.</param>
/// <param name="HostName">The name sent as SNI, when the target was a host name.</param>
/// <param name="StartTls">"none", "smtp", "imap", ...</param>
/// <param name="State">"tls" when a certificate was read, "error" otherwise.</param>
/// <param name="Protocol">"TLSv1.2" style.</param>
/// <param name="CipherSuite">IANA name.</param>
/// <param name="SupportsTls13">Whether the server speaks TLS 1.3; null on error.</param>
/// <param name="Subject">The leaf's subject DN.</param>
/// <param name="Issuer">The leaf's issuer DN.</param>
/// <param name="NotAfter">The leaf's notAfter.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the leaf's DER; null when no certificate was read.</param>
/// <param name="Chain">Lower-case hex SHA-256 of each presented certificate, leaf first.</param>
/// <param name="Problems">ChainCheck's codes; for an error row the failure's code.</param>
/// <param name="Trust">"system", "organization", "untrusted"; null without a readable leaf.</param>
/// <param name="Error">Why an error row has no certificate.</param>
/// <param name="HandshakeMs">From ClientHello to certificate.</param>
internal sealed record ScanRow(
    string? Address,
    int? Port,
    string? HostName,
    string StartTls,
    string State,
    string? Protocol,
    string? CipherSuite,
    bool? SupportsTls13,
    string? Subject,
    string? Issuer,
    DateTimeOffset? NotAfter,
    string? Sha256,
    IReadOnlyList<string> Chain,
    IReadOnlyList<string> Problems,
    string? Trust,
    string? Error,
    double? HandshakeMs);
