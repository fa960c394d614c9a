namespace Certitude.Tls.Targets;

/// <summary>Addresses to scan.</summary>
/// <param name="Range">The addresses.</param>
/// <param name="Port">A port given with a single address ("10.0.0.1:8443"), scanned instead of the port list.</param>
public sealed record AddressTarget(AddressRange Range, PortSpec? Port);
