namespace Certitude.Features.Inventory;

/// <summary>The kinds of <see cref="CertificateSource"/>, stored as these strings.</summary>
public static class CertificateSourceKinds
{
    public const string File = "file";
    public const string Upload = "upload";
    public const string Scan = "scan";
    public const string Issuance = "issuance";

    /// <summary>A CA certificate created or imported into Certitude's managed PKI.</summary>
    public const string Authority = "authority";
}
