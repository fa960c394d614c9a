using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Certitude.Features.Inventory;

public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/certificates")
            .WithTags("Certificates")
            .RequireAuthorization();

        group.MapGet("/", ListAsync).WithName("ListCertificates")
            .WithSummary("List certificates with filters, sorting and keyset (cursor) pagination");
        group.MapGet("/overview", OverviewAsync).WithName("CertificateOverview")
            .WithSummary("Counts by status and the expiry timeline of the next days");
        group.MapGet("/issuers", IssuersAsync).WithName("ListCertificateIssuers")
            .WithSummary("Distinct issuer common names, for the issuer filter");
        group.MapGet("/{id}", GetAsync).WithName("GetCertificate")
            .WithSummary("One certificate by id or SHA-256 fingerprint, with its chain and sources");
        group.MapGet("/{id}/pem", PemAsync).WithName("DownloadCertificatePem")
            .WithSummary("The certificate as PEM");
        group.MapPost("/import", ImportAsync).WithName("ImportCertificates")
            .WithSummary("Import certificate files (PEM, DER, PKCS#7, PKCS#12) uploaded as multipart/form-data")
            .DisableAntiforgery()
            .Accepts<IFormFileCollection>("multipart/form-data");
        group.MapPatch("/{id}", UpdateAsync).WithName("UpdateCertificate")
            .WithSummary("Change owner, division, tags or notes");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteCertificate")
            .WithSummary("Remove a certificate from the inventory (soft delete; importing it again restores it)");
        return app;
    }

    private static async Task<Ok<CertificatePage>> ListAsync(
        InventoryService inventory,
        AccessScope access,
        CancellationToken cancellationToken,
        string? text = null,
        string? issuer = null,
        CertificateStatus? status = null,
        int? expiringWithinDays = null,
        string? keyAlgorithm = null,
        string? tag = null,
        long? division = null,
        CertificateSort sort = CertificateSort.NotAfter,
        bool descending = false,
        string? cursor = null,
        int limit = InventoryLimits.DefaultPageSize)
    {
        var query = new CertificateQuery
        {
            Text = text, Issuer = issuer, Status = status, ExpiringWithinDays = expiringWithinDays,
            KeyAlgorithm = keyAlgorithm, Tag = tag, DivisionId = division, Sort = sort, Descending = descending,
        };
        return TypedResults.Ok(await inventory.ListAsync(access, query, cursor, limit, cancellationToken));
    }

    private static async Task<Ok<InventoryOverview>> OverviewAsync(InventoryService inventory, AccessScope access, CancellationToken cancellationToken, int days = 90)
    {
        if (days is < 1 or > 366)
        {
            throw new DomainValidationException("days", "days must be between 1 and 366.");
        }

        var counts = await inventory.CountByStatusAsync(access, cancellationToken);
        var timeline = await inventory.ExpiryTimelineAsync(access, days, cancellationToken);
        return TypedResults.Ok(new InventoryOverview(counts, timeline.Select(t => new ExpiryDay(t.Day, t.Count)).ToList()));
    }

    private static async Task<Ok<IReadOnlyList<string>>> IssuersAsync(InventoryService inventory, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inventory.IssuersAsync(access, cancellationToken));

    private static async Task<Ok<CertificateDetails>> GetAsync(string id, InventoryService inventory, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inventory.GetAsync(access, id, cancellationToken));

    private static async Task<ContentHttpResult> PemAsync(string id, InventoryService inventory, AccessScope access, CancellationToken cancellationToken)
    {
        var der = await inventory.GetDerAsync(access, id, cancellationToken);
        return TypedResults.Text(System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", der) + "\n", "application/x-pem-file");
    }

    private static async Task<Ok<ImportResponse>> ImportAsync(
        [FromForm] IFormFileCollection files,
        [FromForm] string? password,
        [FromForm] long? division,
        AccessScope access,
        CertificateImporter importer,
        CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            throw new DomainValidationException("files", "Attach at least one file as multipart/form-data field 'files'.");
        }

        var target = await importer.ResolveTargetAsync(access, division, cancellationToken);
        var uploads = new List<ImportFile>(files.Count);
        foreach (var file in files)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var name = Path.GetFileName(file.FileName);
            uploads.Add(new ImportFile(name, CertificateSourceKinds.Upload, name, buffer.ToArray()));
        }

        var (summary, results) = await importer.ImportAsync(uploads, password, target, cancellationToken);
        return TypedResults.Ok(new ImportResponse(summary, results));
    }

    private static async Task<Ok<CertificateDetails>> UpdateAsync(string id, CertificateUpdate update, InventoryService inventory, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await inventory.UpdateAsync(access, id, update, cancellationToken));

    private static async Task<NoContent> DeleteAsync(string id, InventoryService inventory, AccessScope access, CancellationToken cancellationToken)
    {
        await inventory.DeleteAsync(access, id, cancellationToken);
        return TypedResults.NoContent();
    }
}
