using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Targets;

/// <summary>Resolves a scan's host names several at a time; a name that does not resolve is an error of its own, not of the scan.</summary>
internal static class HostNameResolution
{
    private const int Parallelism = 16;

    /// <summary>The addresses of each name that resolved, and a readable error for each name that did not.</summary>
    public static async Task<(Dictionary<string, IReadOnlyList<IPAddress>> Resolved, Dictionary<string, string> Errors)> ResolveAsync(
        ScanTargets targets, IHostNameResolver resolver, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentDictionary<string, (IReadOnlyList<IPAddress> Addresses, string? Error)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(targets.Hosts.Select(h => h.Name).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (name, ct) =>
            {
                try
                {
                    var addresses = await resolver.ResolveAsync(name, ct).ConfigureAwait(false);
                    answers[name] = addresses.Count > 0 ? (addresses, null) : ([], "does not resolve");
                }
                catch (SocketException e)
                {
                    answers[name] = ([], $"does not resolve ({e.Message})");
                }
            }).ConfigureAwait(false);

        return (answers.Where(a => a.Value.Error is null).ToDictionary(a => a.Key, a => a.Value.Addresses, StringComparer.Ordinal),
            answers.Where(a => a.Value.Error is not null).ToDictionary(a => a.Key, a => a.Value.Error!, StringComparer.Ordinal));
    }
}
