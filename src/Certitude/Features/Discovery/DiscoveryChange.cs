namespace Certitude.Features.Discovery;

/// <summary>A change a run detected on an endpoint (one per run, endpoint and kind, however often a chunk is retried).</summary>
public sealed class DiscoveryChange
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long EndpointId { get; set; }
    public long DivisionId { get; set; }

    /// <summary>One of <see cref="DiscoveryChangeKinds"/>.</summary>
    public required string Kind { get; set; }

    public long? PreviousCertificateId { get; set; }
    public long? CertificateId { get; set; }
    public DateTimeOffset DetectedAt { get; set; }
}
