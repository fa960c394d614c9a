using System.Net;
using Certitude.Tls.Scanning;

namespace Certitude.Tls.Targets;

/// <summary>
/// What one scan covers, parsed and checked: disjoint address ranges (overlaps merged, exclusions removed), host names,
/// and the port list. Endpoints are produced lazily, port by port, so that a large range never sits in memory and
/// consecutive connections go to different hosts.
/// </summary>
public sealed class ScanTargets
{
    internal ScanTargets(
        IReadOnlyList<AddressRange> ranges,
        IReadOnlyList<AddressTarget> addressesWithPort,
        IReadOnlyList<HostTarget> hosts,
        IReadOnlyList<PortSpec> ports,
        IReadOnlyList<AddressRange> exclusions)
    {
        Ranges = ranges;
        AddressesWithPort = addressesWithPort;
        Hosts = hosts;
        Ports = ports;
        Exclusions = exclusions;
    }

    /// <summary>Disjoint address ranges scanned on every port of <see cref="Ports"/>.</summary>
    public IReadOnlyList<AddressRange> Ranges { get; }

    /// <summary>Single addresses given with their own port ("10.0.0.1:8443").</summary>
    public IReadOnlyList<AddressTarget> AddressesWithPort { get; }

    /// <summary>Host names; each is scanned on its own port when given, else on every port of <see cref="Ports"/>.</summary>
    public IReadOnlyList<HostTarget> Hosts { get; }

    /// <summary>The port list.</summary>
    public IReadOnlyList<PortSpec> Ports { get; }

    /// <summary>Addresses never scanned, even when a host name resolves to them.</summary>
    public IReadOnlyList<AddressRange> Exclusions { get; }

    /// <summary>How many address-and-port endpoints the address targets hold (host names not counted).</summary>
    public ulong AddressEndpointCount
    {
        get
        {
            ulong count = (ulong)AddressesWithPort.Count;
            foreach (var range in Ranges)
            {
                count = SaturatingAdd(count, SaturatingMultiply(range.Count, (ulong)Ports.Count));
            }

            return count;
        }
    }

    /// <summary>Every address range the scan may touch before name resolution (for the allowed-ranges check).</summary>
    public IEnumerable<AddressRange> AddressRanges() =>
        Ranges.Concat(AddressesWithPort.Select(a => a.Range));

    /// <summary>Whether an address is excluded.</summary>
    public bool IsExcluded(IPAddress address) => Exclusions.Any(e => e.Contains(address));

    /// <summary>
    /// The endpoints to scan, port by port: for each port every address of every range, then the targets with their
    /// own port, then the host names' addresses (from <paramref name="resolvedHosts"/>, excluded addresses skipped).
    /// </summary>
    public IEnumerable<ScanEndpoint> Endpoints(IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>? resolvedHosts = null)
    {
        foreach (var port in Ports)
        {
            foreach (var range in Ranges)
            {
                foreach (var address in range.Addresses())
                {
                    yield return new ScanEndpoint(address, port.Port, null, port.StartTls);
                }
            }
        }

        foreach (var target in AddressesWithPort)
        {
            yield return new ScanEndpoint(target.Range.FirstAddress, target.Port!.Port, null, target.Port.StartTls);
        }

        if (resolvedHosts is null)
        {
            yield break;
        }

        foreach (var host in Hosts)
        {
            if (!resolvedHosts.TryGetValue(host.Name, out var addresses))
            {
                continue;
            }

            foreach (var port in host.Port is null ? Ports : [host.Port])
            {
                foreach (var address in addresses)
                {
                    if (!IsExcluded(address))
                    {
                        yield return new ScanEndpoint(address, port.Port, host.Name, port.StartTls);
                    }
                }
            }
        }
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => ulong.MaxValue - a < b ? ulong.MaxValue : a + b;

    private static ulong SaturatingMultiply(ulong a, ulong b) => b != 0 && a > ulong.MaxValue / b ? ulong.MaxValue : a * b;
}
