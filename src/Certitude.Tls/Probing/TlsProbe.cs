namespace Certitude.Tls.Probing;

/// <summary>Temporary.</summary>
public static class TlsProbe
{
    /// <summary>Temporary.</summary>
    public static Task<TlsProbeResult> ProbeAsync(Stream stream, TlsProbeRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("placeholder until helper/probe merges");
}
