using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Discovery;

/// <summary>Configuration section "Discovery" (environment: CERTITUDE_Discovery__Key).</summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Discovery";

    /// <summary>Whether this server scans the chunks of runs without a zone itself (agents scan the zoned ones).</summary>
    public bool LocalScanner { get; set; } = true;

    /// <summary>How often the server looks for due schedules, free chunks and finished runs.</summary>
    [Range(100, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 2_000;

    /// <summary>Addresses per chunk: what one scanner leases at a time.</summary>
    [Range(1, 65_536)]
    public int AddressesPerChunk { get; set; } = 256;

    /// <summary>Host names per chunk.</summary>
    [Range(1, 10_000)]
    public int HostNamesPerChunk { get; set; } = 64;

    /// <summary>How long a lease lasts without news from its holder; then the chunk goes back to the queue.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Connections in flight of the server's own scanner.</summary>
    [Range(1, 20_000)]
    public int Concurrency { get; set; } = 256;

    [Range(10, 60_000)]
    public int ConnectTimeoutMilliseconds { get; set; } = 3_000;

    [Range(10, 120_000)]
    public int HandshakeTimeoutMilliseconds { get; set; } = 8_000;

    /// <summary>
    /// DNS server (address[:port]) the server's scanner asks for host names; null: the system resolver. Set it when the
    /// system resolver would send the names of internal hosts somewhere they should not go.
    /// </summary>
    public string? DnsServer { get; set; }

    /// <summary>The schedule of a new scan definition when none is given: Sundays at 03:00 UTC (weekly).</summary>
    public string DefaultSchedule { get; set; } = "0 3 * * 0";
}
