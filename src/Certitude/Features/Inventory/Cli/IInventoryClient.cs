namespace Certitude.Features.Inventory.Cli;

/// <summary>What the inventory commands need, served either by the local data folder or a remote server.</summary>
internal interface IInventoryClient : IAsyncDisposable
{
    Task<CertificatePage> ListAsync(CertificateQuery query, string? cursor, int limit, CancellationToken cancellationToken);

    Task<CertificateDetails> GetAsync(string idOrFingerprint, CancellationToken cancellationToken);

    Task<CertificateDetails> UpdateAsync(string idOrFingerprint, CertificateUpdate update, CancellationToken cancellationToken);

    Task DeleteAsync(string idOrFingerprint, CancellationToken cancellationToken);

    Task<ImportSummary> ImportAsync(IReadOnlyList<string> paths, string? password, long? division, Action<FileImportResult> onFile,
        IProgress<ImportProgress> progress, CancellationToken cancellationToken);
}
