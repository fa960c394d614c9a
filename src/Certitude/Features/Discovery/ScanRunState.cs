using System.Text.Json.Serialization;

namespace Certitude.Features.Discovery;

/// <summary>Where a scan run is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScanRunState>))]
public enum ScanRunState
{
    /// <summary>Chunks wait for a scanner (the server or an agent of the zone).</summary>
    Queued,

    /// <summary>At least one chunk was leased.</summary>
    Running,

    /// <summary>Every chunk is done and the changes are computed.</summary>
    Completed,

    /// <summary>Cancelled by a user.</summary>
    Cancelled,
}
