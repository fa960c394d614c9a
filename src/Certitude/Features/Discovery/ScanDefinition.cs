namespace Certitude.Features.Discovery;

/// <summary>A saved scan: what to scan, on which schedule, from which network zone, for which division.</summary>
public sealed class ScanDefinition
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Owner division, and the division of found endpoints outside every division's IP ranges.</summary>
    public long DivisionId { get; set; }

    public List<string> Targets { get; set; } = [];

    /// <summary>Port list ("443,8443,2525/smtp"); null: the default TLS ports.</summary>
    public string? Ports { get; set; }

    public List<string> Exclusions { get; set; } = [];

    /// <summary>Five-field cron expression (UTC).</summary>
    public required string Schedule { get; set; }

    /// <summary>Agent zone that runs the scan; null: the server itself.</summary>
    public string? Zone { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>When the scheduler starts the next run; null when disabled.</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
