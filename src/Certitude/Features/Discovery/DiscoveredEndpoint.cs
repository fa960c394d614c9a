namespace Certitude.Features.Discovery;

/// <summary>A TLS endpoint found by discovery: address, port, host name, and what it presented when last seen.</summary>
public sealed class DiscoveredEndpoint
{
    public long Id { get; set; }
    public required string Address { get; set; }
    public int Port { get; set; }

    /// <summary>The SNI name; empty for address targets (part of the endpoint's identity).</summary>
    public string HostName { get; set; } = "";

    public required string StartTls { get; set; }

    /// <summary>By IP range of the divisions (most specific wins), else the scan's division.</summary>
    public long DivisionId { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public long LastRunId { get; set; }

    /// <summary>False once a run over its address found it closed (endpoint gone).</summary>
    public bool IsActive { get; set; } = true;

    public DateTimeOffset? GoneAt { get; set; }

    /// <summary>Inventory id of the leaf certificate presented; null when the last probe failed.</summary>
    public long? CertificateId { get; set; }

    public string? Sha256Fingerprint { get; set; }
    public List<string> ChainFingerprints { get; set; } = [];
    public string? Protocol { get; set; }
    public string? CipherSuite { get; set; }
    public bool SupportsTls13 { get; set; }
    public double? HandshakeMs { get; set; }
    public string? Failure { get; set; }
    public string? Error { get; set; }

    /// <summary>"system", "organization" or "untrusted".</summary>
    public string? Trust { get; set; }

    /// <summary>Problem codes: expired, expiring, self-signed, untrusted, incomplete-chain, hostname-mismatch, ...</summary>
    public List<string> Problems { get; set; } = [];

    /// <summary>Why the certificate is rogue: unapproved-issuer, self-signed-in-production, unmanaged, wildcard-spread.</summary>
    public List<string> RogueReasons { get; set; } = [];
}
