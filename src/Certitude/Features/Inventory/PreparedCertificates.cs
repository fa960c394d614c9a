namespace Certitude.Features.Inventory;

/// <summary>Rows ready to write (<see cref="CertificateBulkWriter.Prepare"/>): stored values in column order.</summary>
/// <param name="Certificates">One row per certificate, in <see cref="BulkTable.Columns"/> order of the certificates table.</param>
/// <param name="SearchKeys">The certificates' search keys, likewise.</param>
internal sealed record PreparedCertificates(IReadOnlyList<object?[]> Certificates, IReadOnlyList<object?[]> SearchKeys);
