namespace Certitude.Features.Inventory;

/// <summary>A free-form label on a certificate (stored lowercase, so filters match whatever the case typed).</summary>
public sealed class CertificateTag
{
    public long CertificateId { get; set; }
    public required string Name { get; set; }
}
