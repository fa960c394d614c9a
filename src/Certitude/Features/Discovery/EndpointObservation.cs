namespace Certitude.Features.Discovery;

/// <summary>What an endpoint presented in one run: its certificate history.</summary>
public sealed class EndpointObservation
{
    public long Id { get; set; }
    public long EndpointId { get; set; }
    public long RunId { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
    public long? CertificateId { get; set; }
    public string? Sha256Fingerprint { get; set; }
    public string? Protocol { get; set; }
    public string? CipherSuite { get; set; }
    public double? HandshakeMs { get; set; }
    public string? Failure { get; set; }
    public string? Error { get; set; }
}
