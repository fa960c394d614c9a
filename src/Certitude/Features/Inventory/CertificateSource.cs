namespace Certitude.Features.Inventory;

/// <summary>One place a certificate came from. A certificate seen in many places has many sources.</summary>
public sealed class CertificateSource
{
    public long Id { get; set; }
    public long CertificateId { get; set; }

    /// <summary>Stable key: see <see cref="CertificateSourceKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>Where: a file path, an upload's file name, later an endpoint or a request id.</summary>
    public required string Location { get; set; }

    /// <summary>Who or what brought it (user name, "cli", a scan id).</summary>
    public string? Actor { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}
