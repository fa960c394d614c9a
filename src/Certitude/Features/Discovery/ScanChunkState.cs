namespace Certitude.Features.Discovery;

/// <summary>Where a chunk of a run is.</summary>
public enum ScanChunkState
{
    /// <summary>Waiting for a scanner.</summary>
    Pending,

    /// <summary>A scanner holds it until its lease expires.</summary>
    Leased,

    /// <summary>Results are in.</summary>
    Done,
}
