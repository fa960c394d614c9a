namespace Certitude.Features.Discovery;

/// <summary>One execution of a scan (scheduled, run now, or uploaded by <c>certitude scan --server</c>), with its summary.</summary>
public sealed class ScanRun
{
    public long Id { get; set; }
    public long? DefinitionId { get; set; }
    public long DivisionId { get; set; }
    public string? Zone { get; set; }

    /// <summary>"schedule", "manual" or "upload".</summary>
    public required string Trigger { get; set; }

    public required string RequestedBy { get; set; }
    public ScanRunState State { get; set; }

    /// <summary>The targets as they were when the run started (the definition may change later).</summary>
    public List<string> Targets { get; set; } = [];

    public string? Ports { get; set; }
    public List<string> Exclusions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int ChunkCount { get; set; }
    public int ChunksDone { get; set; }

    /// <summary>Address-and-port endpoints to probe (host names count once per port).</summary>
    public long TotalEndpoints { get; set; }

    public long ProbedEndpoints { get; set; }

    /// <summary>Endpoints that accepted a connection.</summary>
    public int EndpointsFound { get; set; }

    public int Certificates { get; set; }
    public int NewEndpoints { get; set; }
    public int ChangedCertificates { get; set; }
    public int GoneEndpoints { get; set; }
    public int Errors { get; set; }
}
