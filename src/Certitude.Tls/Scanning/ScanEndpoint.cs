using System.Net;
using Certitude.Tls.StartTls;

namespace Certitude.Tls.Scanning;

/// <summary>One address and port to probe.</summary>
/// <param name="Address">The address connected to.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="HostName">The name that resolved to the address, sent as SNI; null for address targets.</param>
/// <param name="StartTls">The upgrade step before the ClientHello.</param>
public sealed record ScanEndpoint(IPAddress Address, int Port, string? HostName, StartTlsProtocol StartTls)
{
    /// <summary>"10.0.0.1:443", "[2001:db8::1]:443", with " (name)" when a host name is known.</summary>
    public override string ToString()
    {
        var address = Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString();
        return HostName is null
            ? FormattableString.Invariant($"{address}:{Port}")
            : FormattableString.Invariant($"{address}:{Port} ({HostName})");
    }
}
