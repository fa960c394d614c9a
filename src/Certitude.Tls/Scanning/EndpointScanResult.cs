namespace Certitude.Tls.Scanning;

/// <summary>One endpoint that accepted a TCP connection: its certificate, or why there was none.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Tls">What the probe saw (with SNI when the endpoint has a host name); null on failure.</param>
/// <param name="WithoutSni">For endpoints with a host name: what a probe without SNI saw, when it succeeded.</param>
/// <param name="Failure">Why there is no certificate; null on success.</param>
/// <param name="Error">A readable message for <paramref name="Failure"/>.</param>
/// <param name="ScannedAt">When the endpoint was probed.</param>
public sealed record EndpointScanResult(
    ScanEndpoint Endpoint,
    TlsObservation? Tls,
    TlsObservation? WithoutSni,
    EndpointFailure? Failure,
    string? Error,
    DateTimeOffset ScannedAt);
