using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Targets;

/// <summary>The operating system's resolver (hosts file, then the configured DNS servers): every A and AAAA record.</summary>
internal sealed class SystemHostNameResolver : IHostNameResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string hostName, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(hostName, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
        return [.. addresses
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Distinct()];
    }
}
