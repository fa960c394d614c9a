namespace Certitude.Features.Discovery;

/// <summary>What changed between runs, stored as these strings.</summary>
public static class DiscoveryChangeKinds
{
    /// <summary>An endpoint never seen before.</summary>
    public const string NewEndpoint = "new-endpoint";

    /// <summary>The endpoint presents another certificate than last time.</summary>
    public const string CertificateChanged = "certificate-changed";

    /// <summary>The endpoint still answers but presents no certificate any more (TLS off or failing).</summary>
    public const string CertificateGone = "certificate-gone";

    /// <summary>A run over the endpoint's address found the port closed.</summary>
    public const string EndpointGone = "endpoint-gone";
}
