namespace Certitude.Tls.Probing;

/// <summary>What a probe sends.</summary>
/// <param name="ServerName">Sent as SNI (RFC 6066 §3) when given; an IP literal is never sent as SNI.</param>
/// <param name="Hello">The ClientHello to send.</param>
public sealed record TlsProbeRequest(string? ServerName, TlsProbeHello Hello);
