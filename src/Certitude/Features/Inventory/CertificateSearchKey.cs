namespace Certitude.Features.Inventory;

/// <summary>
/// A lowercase string the text filter matches by prefix: every name of the certificate (CN, SAN values)
/// and each of its suffixes that starts after a '.' or '@', plus serial and fingerprint. "example" thus
/// finds www.example.com through the key "example.com", and a prefix match stays an index range scan
/// at a million certificates, where a substring match would read every row.
/// </summary>
public sealed class CertificateSearchKey
{
    public long CertificateId { get; set; }
    public required string Key { get; set; }
}
