namespace Certitude.Features.Discovery;

/// <summary>A registered <c>certitude agent</c>: scans for one network zone with its own credential.</summary>
public sealed class ScanAgent
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Zone { get; set; }
    public required string Version { get; set; }

    /// <summary>SHA-256 of the agent's secret (the secret itself is only ever shown to the agent).</summary>
    public required byte[] SecretHash { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastContactAt { get; set; }
    public string? LastAddress { get; set; }
    public bool Disabled { get; set; }
}
