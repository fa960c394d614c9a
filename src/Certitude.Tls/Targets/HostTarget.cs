namespace Certitude.Tls.Targets;

/// <summary>A host name to resolve (every A and AAAA record is scanned, with the name sent as SNI).</summary>
/// <param name="Name">The lower-case name.</param>
/// <param name="Port">A port given with the name ("example.com:8443"), scanned instead of the port list.</param>
public sealed record HostTarget(string Name, PortSpec? Port);
