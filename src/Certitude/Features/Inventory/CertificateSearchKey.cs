namespace Certitude.Features.Inventory;

/// <summary>
/// A lowercase string the text filter matches by prefix: every name of the certificate (CN, SAN values)
/// and each of its suffixes that starts after a '.' or '@', plus serial and fingerprint. "example" thus
/// finds www.example.com through the key "example.com", and a prefix match stays an index range scan
/// at a million certificates, where a substring match would read every row.
/// </summary>
/// <remarks>
/// The certificate's validity dates are copied here so that the key index alone gives a text search's matches in
/// expiry or issue order: only the first page of certificates is then read, not every match (docs/benchmarks.md).
/// They are facts of the certificate's DER, so they never change after the row is written.
/// </remarks>
public sealed class CertificateSearchKey
{
    public long CertificateId { get; set; }
    public required string Key { get; set; }

    /// <summary>The certificate's <see cref="Certificate.NotAfter"/>.</summary>
    public DateTimeOffset NotAfter { get; set; }

    /// <summary>The certificate's <see cref="Certificate.NotBefore"/>.</summary>
    public DateTimeOffset NotBefore { get; set; }
}
