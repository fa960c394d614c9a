using System.Net;

namespace Certitude.Tls.Targets;

/// <summary>The resolver a scanner uses: a configured DNS server when there is one, else the system resolver.</summary>
internal static class HostNameResolvers
{
    /// <summary>How long one DNS question may take.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    public static IHostNameResolver Create(IPEndPoint? dnsServer) =>
        dnsServer is null ? new SystemHostNameResolver() : new DnsServerResolver(dnsServer, QueryTimeout);
}
