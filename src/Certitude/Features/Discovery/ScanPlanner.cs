using System.Globalization;
using System.Net.Sockets;
using Certitude.Tls.Targets;

namespace Certitude.Features.Discovery;

/// <summary>
/// Splits a run's targets into chunks that scanners lease one at a time: address ranges cut into blocks of
/// <see cref="DiscoveryOptions.AddressesPerChunk"/> addresses, host names grouped. Each chunk is written as target
/// strings the <see cref="TargetParser"/> reads back, so an agent needs nothing but the chunk to do its work.
/// </summary>
internal static class ScanPlanner
{
    public static List<List<string>> Split(ScanTargets targets, int addressesPerChunk, int hostNamesPerChunk)
    {
        var chunks = new List<List<string>>();
        var current = new List<string>();
        ulong addressesInCurrent = 0;

        void Close()
        {
            if (current.Count > 0)
            {
                chunks.Add(current);
                current = [];
                addressesInCurrent = 0;
            }
        }

        foreach (var range in targets.Ranges)
        {
            foreach (var piece in Cut(range, (ulong)addressesPerChunk))
            {
                if (addressesInCurrent + piece.Count > (ulong)addressesPerChunk)
                {
                    Close();
                }

                current.Add(piece.ToString());
                addressesInCurrent += piece.Count;
            }
        }

        foreach (var target in targets.AddressesWithPort)
        {
            if (addressesInCurrent + 1 > (ulong)addressesPerChunk)
            {
                Close();
            }

            var address = target.Range.FirstAddress;
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            current.Add(string.Create(CultureInfo.InvariantCulture, $"{host}:{target.Port!.Port}"));
            addressesInCurrent++;
        }

        Close();
        foreach (var group in targets.Hosts.Chunk(hostNamesPerChunk))
        {
            chunks.Add([.. group.Select(h => h.Port is null ? h.Name : string.Create(CultureInfo.InvariantCulture, $"{h.Name}:{h.Port.Port}"))]);
        }

        return chunks;
    }

    /// <summary>Endpoints a run will probe: address endpoints, plus each host name once per port (its addresses are unknown yet).</summary>
    public static long EstimateEndpoints(ScanTargets targets) =>
        (long)Math.Min(targets.AddressEndpointCount, long.MaxValue / 2) + targets.Hosts.Sum(h => h.Port is null ? targets.Ports.Count : 1L);

    private static IEnumerable<AddressRange> Cut(AddressRange range, ulong size)
    {
        // Count saturates for IPv6 ranges beyond 2^64 addresses; the target limits refuse those long before here.
        for (ulong start = 0; start < range.Count; start += size)
        {
            var end = Math.Min(start + size, range.Count) - 1;
            yield return AddressRange.Between(range.AddressAt(start), range.AddressAt(end));
            if (end == range.Count - 1)
            {
                yield break;
            }
        }
    }
}
