namespace Certitude.Features.Discovery;

/// <summary>
/// A slice of a run's targets that one scanner (the server, or an agent of the zone) leases and works through. A lease
/// that runs out goes back to the queue; results are keyed by endpoint and run, so a chunk done twice records once.
/// </summary>
public sealed class ScanChunk
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Sequence { get; set; }
    public string? Zone { get; set; }

    /// <summary>This chunk's targets (ranges and names), with the run's ports and exclusions.</summary>
    public List<string> Targets { get; set; } = [];

    public ScanChunkState State { get; set; }

    /// <summary>"server" or "agent:{id}".</summary>
    public string? LeaseHolder { get; set; }

    /// <summary>Changes with every lease, so that a holder whose lease was taken over cannot complete the chunk.</summary>
    public Guid? LeaseToken { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public int Attempts { get; set; }
    public long ProbedEndpoints { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
}
