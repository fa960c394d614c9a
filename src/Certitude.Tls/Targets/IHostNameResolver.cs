using System.Net;

namespace Certitude.Tls.Targets;

/// <summary>
/// Turns a scan's host names into addresses. An interface so that a resolver asking a configured DNS server (instead
/// of the system resolver, which may send the query off the machine) can take its place.
/// </summary>
internal interface IHostNameResolver
{
    /// <summary>Every IPv4 and IPv6 address of <paramref name="hostName"/>; empty when the name has none.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The name does not exist or the resolver failed.</exception>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string hostName, CancellationToken cancellationToken);
}
