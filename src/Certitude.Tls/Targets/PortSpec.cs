using Certitude.Tls.StartTls;

namespace Certitude.Tls.Targets;

/// <summary>A port to scan and how to reach TLS on it (directly, or by a STARTTLS step).</summary>
/// <param name="Port">1–65535.</param>
/// <param name="StartTls">The upgrade step; by default the one of the port's well-known service.</param>
public sealed record PortSpec(int Port, StartTlsProtocol StartTls)
{
    /// <summary>"443", or "2525/smtp" when the port needs a STARTTLS step.</summary>
    public override string ToString() => StartTls == StartTlsProtocol.None
        ? Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{Port}/{StartTls.ToString().ToLowerInvariant()}");
}
