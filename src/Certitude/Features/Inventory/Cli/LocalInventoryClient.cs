using Certitude.Cli;

namespace Certitude.Features.Inventory.Cli;

internal sealed class LocalInventoryClient(LocalServices local) : IInventoryClient
{
    private InventoryService Inventory => local.Services.GetRequiredService<InventoryService>();

    public Task<CertificatePage> ListAsync(CertificateQuery query, string? cursor, int limit, CancellationToken cancellationToken) =>
        Inventory.ListAsync(query, cursor, limit, cancellationToken);

    public Task<CertificateDetails> GetAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        Inventory.GetAsync(idOrFingerprint, cancellationToken);

    public Task<CertificateDetails> UpdateAsync(string idOrFingerprint, CertificateUpdate update, CancellationToken cancellationToken) =>
        Inventory.UpdateAsync(idOrFingerprint, update, cancellationToken);

    public Task DeleteAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        Inventory.DeleteAsync(idOrFingerprint, cancellationToken);

    public Task<ImportSummary> ImportAsync(IReadOnlyList<string> paths, string? password, Action<FileImportResult> onFile,
        IProgress<ImportProgress> progress, CancellationToken cancellationToken)
    {
        var files = local.Services.GetRequiredService<ImportFileReader>().ReadAsync(paths, cancellationToken);
        return local.Services.GetRequiredService<CertificateImporter>()
            .ImportAsync(files, password, $"cli:{Environment.UserName}", onFile, progress, cancellationToken);
    }

    public ValueTask DisposeAsync() => local.DisposeAsync();
}
