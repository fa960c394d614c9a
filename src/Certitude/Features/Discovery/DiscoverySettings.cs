namespace Certitude.Features.Discovery;

/// <summary>
/// Organization-wide discovery rules, set by organization administrators (one row). The allowed ranges keep a user
/// from turning Certitude into a scanner of arbitrary networks; the approved CAs and production ranges decide which
/// certificates are rogue.
/// </summary>
public sealed class DiscoverySettings
{
    /// <summary>The one row's id.</summary>
    public const long SingletonId = 1;

    /// <summary>The private ranges a fresh installation may scan (RFC 1918, loopback, RFC 4193 unique local, IPv6 loopback).</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128"];

    public long Id { get; set; } = SingletonId;

    /// <summary>CIDR ranges scans may touch (addresses of host names included); anything else is refused.</summary>
    public List<string> AllowedRanges { get; set; } = [.. DefaultAllowedRanges];

    /// <summary>CIDR ranges of production systems: a self-signed certificate there is rogue.</summary>
    public List<string> ProductionRanges { get; set; } = [];

    /// <summary>Inventory ids of approved CA certificates (besides Certitude's own CAs, always approved).</summary>
    public List<long> ApprovedAuthorityCertificateIds { get; set; } = [];

    /// <summary>A wildcard certificate seen on more active endpoints than this is rogue (key spread too widely).</summary>
    public int WildcardSpreadThreshold { get; set; } = 5;

    public DateTimeOffset UpdatedAt { get; set; }
}
