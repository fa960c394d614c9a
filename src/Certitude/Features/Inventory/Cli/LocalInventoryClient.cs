using Certitude.Cli;
using Certitude.Features.Audit;
using Certitude.Features.Organization;

namespace Certitude.Features.Inventory.Cli;

internal sealed class LocalInventoryClient(LocalServices local) : IInventoryClient
{
    /// <summary>The local CLI acts as the data folder's owner.</summary>
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    private InventoryService Inventory => local.Services.GetRequiredService<InventoryService>();

    public Task<CertificatePage> ListAsync(CertificateQuery query, string? cursor, int limit, CancellationToken cancellationToken) =>
        Inventory.ListAsync(Owner, query, cursor, limit, cancellationToken);

    public Task<CertificateDetails> GetAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        Inventory.GetAsync(Owner, idOrFingerprint, cancellationToken);

    public Task<CertificateDetails> UpdateAsync(string idOrFingerprint, CertificateUpdate update, CancellationToken cancellationToken) =>
        Inventory.UpdateAsync(Owner, idOrFingerprint, update, cancellationToken);

    public Task DeleteAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        Inventory.DeleteAsync(Owner, idOrFingerprint, cancellationToken);

    public async Task<ImportSummary> ImportAsync(IReadOnlyList<string> paths, string? password, long? division, Action<FileImportResult> onFile,
        IProgress<ImportProgress> progress, CancellationToken cancellationToken)
    {
        var importer = local.Services.GetRequiredService<CertificateImporter>();
        var target = await importer.ResolveTargetAsync(Owner, division, cancellationToken);
        var files = local.Services.GetRequiredService<ImportFileReader>().ReadAsync(paths, cancellationToken);
        return await importer.ImportAsync(files, password, target, onFile, progress, cancellationToken);
    }

    public ValueTask DisposeAsync() => local.DisposeAsync();
}
