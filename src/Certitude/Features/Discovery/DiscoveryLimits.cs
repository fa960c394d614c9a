namespace Certitude.Features.Discovery;

/// <summary>Input limits of discovery.</summary>
public static class DiscoveryLimits
{
    /// <summary>Endpoint results in one upload or one agent batch.</summary>
    public const int MaxResultsPerUpload = 20_000;

    /// <summary>Certificates in one presented chain.</summary>
    public const int MaxChainLength = 16;

    /// <summary>Base64 characters of one certificate (64 KiB of DER).</summary>
    public const int MaxCertificateBase64Length = 87_382;

    /// <summary>Target, exclusion or port items in one scan definition.</summary>
    public const int MaxTargetItems = 10_000;

    /// <summary>Names of scan definitions, zones and agents.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Characters of a port list.</summary>
    public const int MaxPortsLength = 2000;

    /// <summary>Characters of an endpoint's error message kept.</summary>
    public const int MaxErrorLength = 500;
}
