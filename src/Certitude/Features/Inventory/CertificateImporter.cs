using System.Data.Common;
using System.Threading.Channels;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Inventory;

/// <summary>
/// Brings certificates into the inventory from files and uploads. Files are decoded in parallel, outside any
/// transaction; each batch of decoded files is then written in one transaction. A file that cannot be decoded
/// fails alone with its reason; if a batch's write fails, its files are retried one by one, so one bad file never
/// takes others with it and nothing half-written remains.
/// </summary>
/// <remarks>
/// Writing goes through <see cref="CertificateBulkWriter"/> (prepared multi-row inserts on SQLite, binary COPY on
/// PostgreSQL), not EF change tracking, which cost more than the parsing itself at a million certificates.
/// </remarks>
public sealed class CertificateImporter(
    IDbContextFactory<CertitudeDbContext> contexts,
    IOptions<InventoryOptions> options,
    AccessService access,
    AuditLog audit,
    TimeProvider time,
    ILogger<CertificateImporter> logger)
{
    /// <summary>
    /// Where an import goes: the division asked for, or by default the caller's topmost division they may bring
    /// certificates into (the organization for its administrators). Refuses a division the caller cannot contribute to.
    /// </summary>
    public async Task<ImportTarget> ResolveTargetAsync(AccessScope scope, long? divisionId, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        if (divisionId is { } id)
        {
            if (tree.Find(id) is null || !scope.HasAnyRole(id))
            {
                throw new NotFoundException($"No division {id}.");
            }

            return scope.CanContribute(id) ? new ImportTarget(scope, id)
                : throw new ForbiddenException("You may not bring certificates into this division.");
        }

        var target = tree.All.Where(d => scope.CanContribute(d.Id)).OrderBy(d => tree.PathToRoot(d.Id).Count()).ThenBy(d => d.Id).FirstOrDefault();
        return target is null ? throw new ForbiddenException("You may not bring certificates into any division.") : new ImportTarget(scope, target.Id);
    }

    /// <summary>
    /// A batch also ends at this much file content, whatever <see cref="InventoryOptions.ImportBatchSize"/> says:
    /// bundles of thousands of certificates would otherwise make one transaction of hundreds of thousands (memory,
    /// and SQLite's single writer held for minutes). About 28,000 PEM certificates: large enough that a
    /// transaction updates each index page many times before writing it once (with 8 MiB, a million certificates
    /// took 25 % longer on SQLite, rewriting the same index pages batch after batch).
    /// </summary>
    internal const long MaxBatchBytes = 32 * 1024 * 1024;

    public async Task<ImportSummary> ImportAsync(
        IAsyncEnumerable<ImportFile> files,
        string? password,
        ImportTarget target,
        Action<FileImportResult>? onFile,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var totals = new ImportTotals();
        // The next batch is read and decoded while this one is written: writing keeps one core busy, decoding the
        // other. One batch waits at most, so memory stays bounded however many files there are.
        var decoded = Channel.CreateBounded<DecodedFile[]>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopDecoding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decoding = Task.Run(() => DecodeBatchesAsync(files, password, decoded.Writer, stopDecoding.Token), CancellationToken.None);
        try
        {
            // One connection for the whole import: SQLite's page cache stays warm from one batch to the next.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var writer = CertificateBulkWriter.Create(db);
            await writer.OpenAsync(cancellationToken);
            await foreach (var batch in decoded.Reader.ReadAllAsync(cancellationToken))
            {
                await ImportBatchAsync(db, writer, batch, target, totals, onFile, cancellationToken);
                progress?.Report(totals.Progress);
            }

            await writer.FinishAsync(totals.NewCertificates, cancellationToken);
        }
        catch
        {
            await stopDecoding.CancelAsync();
            await decoding.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        // Decoding stopped early only by an exception (reading the files, cancellation): that is the import's outcome.
        await decoding;
        return new ImportSummary(totals.Files, totals.FailedFiles, totals.Certificates, totals.NewCertificates);
    }

    /// <summary>Imports a few in-memory files (an upload) and returns each file's result.</summary>
    public async Task<(ImportSummary Summary, IReadOnlyList<FileImportResult> Files)> ImportAsync(
        IReadOnlyList<ImportFile> files, string? password, ImportTarget target, CancellationToken cancellationToken)
    {
        var results = new List<FileImportResult>();
        var summary = await ImportAsync(files.ToAsyncEnumerable(), password, target, results.Add, null, cancellationToken);
        return (summary, results);
    }

    /// <summary>Groups files into batches (<see cref="InventoryOptions.ImportBatchSize"/> files or
    /// <see cref="MaxBatchBytes"/>) and decodes each batch on every core.</summary>
    private async Task DecodeBatchesAsync(IAsyncEnumerable<ImportFile> files, string? password, ChannelWriter<DecodedFile[]> output, CancellationToken cancellationToken)
    {
        try
        {
            var batchSize = options.Value.ImportBatchSize;
            var batch = new List<ImportFile>(batchSize);
            var batchBytes = 0L;
            await foreach (var file in files.WithCancellation(cancellationToken))
            {
                batch.Add(file);
                batchBytes += file.Content.Length;
                if (batch.Count == batchSize || batchBytes >= MaxBatchBytes)
                {
                    await output.WriteAsync(Decode(batch, password, cancellationToken), cancellationToken);
                    batch = new List<ImportFile>(batchSize);
                    batchBytes = 0;
                }
            }

            if (batch.Count > 0)
            {
                await output.WriteAsync(Decode(batch, password, cancellationToken), cancellationToken);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    private DecodedFile[] Decode(List<ImportFile> batch, string? password, CancellationToken cancellationToken)
    {
        var decoded = new DecodedFile[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => decoded[i] = Decode(batch[i], password));
        return decoded;
    }

    private async Task ImportBatchAsync(CertitudeDbContext db, CertificateBulkWriter writer, DecodedFile[] decoded, ImportTarget target,
        ImportTotals totals, Action<FileImportResult>? onFile, CancellationToken cancellationToken)
    {
        var good = decoded.Where(d => d.Error is null).ToList();
        Dictionary<string, WrittenCertificate> written;
        try
        {
            written = await WriteAsync(db, writer, good, target, cancellationToken);
        }
        catch (Exception e) when (IsStorageFailure(e) && good.Count > 1)
        {
            await writer.RollbackAsync();
            logger.LogWarning(e, "A batch of {Count} files failed to write; retrying them one by one", good.Count);
            written = [];
            for (var i = 0; i < decoded.Length; i++)
            {
                if (decoded[i].Error is not null)
                {
                    continue;
                }

                try
                {
                    foreach (var (key, value) in await WriteAsync(db, writer, [decoded[i]], target, cancellationToken))
                    {
                        written[key] = value;
                    }
                }
                catch (Exception single) when (IsStorageFailure(single))
                {
                    await writer.RollbackAsync();
                    decoded[i] = decoded[i] with { Error = $"could not be stored: {single.GetBaseException().Message}" };
                }
            }
        }

        foreach (var file in decoded)
        {
            totals.Files++;
            if (file.Error is not null)
            {
                totals.FailedFiles++;
                onFile?.Invoke(new FileImportResult(file.Source.Name, file.Format?.ToString(), [], file.Error));
                continue;
            }

            var certificates = new List<ImportedCertificate>(file.Certificates.Count);
            foreach (var (facts, _) in file.Certificates)
            {
                var certificate = written[facts.Sha256Fingerprint];
                totals.Certificates++;
                if (certificate.New)
                {
                    totals.NewCertificates++;
                    // Counted once: a later file of the same batch with the same certificate reports it as known.
                    written[facts.Sha256Fingerprint] = certificate with { New = false };
                }

                // Already known in a division the importer cannot see: it stays there, and nothing about it is told.
                var visible = target.Scope.CanRead(certificate.DivisionId);
                certificates.Add(new ImportedCertificate(visible ? certificate.Id : null, facts.Sha256Fingerprint, visible ? facts.Subject : "", certificate.New));
            }

            onFile?.Invoke(new FileImportResult(file.Source.Name, file.Format?.ToString(), certificates, null));
        }
    }

    private static bool IsStorageFailure(Exception e) => e is DbException or DbUpdateException or InvalidOperationException;

    /// <summary>Decodes one file and prepares each certificate's row (hashes, search keys) on this worker thread,
    /// so that the writer, which runs alone, only writes.</summary>
    private DecodedFile Decode(ImportFile file, string? password)
    {
        if (file.ReadError is not null)
        {
            return new DecodedFile(file, null, [], file.ReadError);
        }

        if (file.Content.Length > options.Value.MaxFileBytes)
        {
            return new DecodedFile(file, null, [], TooLargeMessage(options.Value.MaxFileBytes));
        }

        try
        {
            var container = CertificateContainerDecoder.Decode(file.Content.Span, password);
            var certificates = container.Facts.Select(facts => (facts, ToEntity(facts))).ToList();
            return new DecodedFile(file, container.Format, certificates, null);
        }
        catch (CertificateFormatException e)
        {
            return new DecodedFile(file, null, [], e.Message);
        }
    }

    /// <summary>Writes one batch in one transaction, with its audit entry; returns id, division and novelty per fingerprint.</summary>
    private async Task<Dictionary<string, WrittenCertificate>> WriteAsync(CertitudeDbContext db, CertificateBulkWriter writer,
        IReadOnlyList<DecodedFile> files, ImportTarget target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = target.Scope.Actor.Name;
        var result = new Dictionary<string, WrittenCertificate>(StringComparer.Ordinal);
        if (files.Count == 0)
        {
            return result;
        }

        // Within a batch, a certificate in several files is one certificate (the first copy is kept).
        var unique = files.SelectMany(f => f.Certificates).DistinctBy(c => c.Facts.Sha256Fingerprint).Select(c => c.Entity).ToList();

        // Nothing of a failed attempt (an audit entry added but not saved) may ride along with this one.
        db.ChangeTracker.Clear();
        await writer.BeginAsync(cancellationToken);

        var stored = await writer.FindAsync([.. unique.Select(c => c.Sha256Fingerprint)], cancellationToken);
        // Importing a deleted certificate again brings it back: someone still has it somewhere.
        foreach (var chunk in stored.Values.Where(s => s.Deleted).Select(s => s.Id).Chunk(500))
        {
            await db.Certificates.IgnoreQueryFilters().Where(c => chunk.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DeletedAt, (DateTimeOffset?)null), cancellationToken);
        }

        var added = unique.Where(c => !stored.ContainsKey(c.Sha256Fingerprint)).ToList();
        var ids = await writer.ReserveIdsAsync(added.Count, cancellationToken);
        for (var i = 0; i < added.Count; i++)
        {
            // A retried batch writes the same prepared rows again: nothing of the failed attempt may stick.
            added[i].Id = ids[i];
            added[i].IssuerCertificateId = null;
            added[i].CreatedAt = now;
            added[i].UpdatedAt = now;
            added[i].DivisionId = target.DivisionId;
            result[added[i].Sha256Fingerprint] = new WrittenCertificate(ids[i], target.DivisionId, true);
        }

        foreach (var (fingerprint, certificate) in stored)
        {
            result[fingerprint] = new WrittenCertificate(certificate.Id, certificate.DivisionId, false);
        }

        if (added.Count > 0)
        {
            var linked = await CertificateChainBuilder.LinkAsync(db, added, writer.Prepare, cancellationToken);
            await writer.InsertCertificatesAsync(linked, cancellationToken);
        }

        var sources = files
            .SelectMany(f => f.Certificates.Select(c => (Id: result[c.Facts.Sha256Fingerprint].Id, f.Source.SourceKind, Location: Truncate(f.Source.Location, 2048))))
            .Distinct()
            .Select(k => new CertificateSource
            {
                CertificateId = k.Id, Kind = k.SourceKind, Location = k.Location, Actor = actor, FirstSeenAt = now, LastSeenAt = now,
            })
            .ToList();
        await writer.UpsertSourcesAsync(sources, cancellationToken);

        await CertificateChainBuilder.AdoptOrphansAsync(db, added, cancellationToken);
        await audit.AppendAsync(db, target.Scope.Actor, new AuditRecord("certificate.import", "division",
            target.DivisionId.ToString(System.Globalization.CultureInfo.InvariantCulture), target.DivisionId,
            new { files = files.Select(f => f.Source.Name).Take(20), fileCount = files.Count, certificates = unique.Count, added = added.Count }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return result;
    }

    internal static Certificate ToEntity(CertificateFacts facts)
    {
        var certificate = new Certificate
        {
            Sha256Fingerprint = facts.Sha256Fingerprint,
            Sha1Fingerprint = facts.Sha1Fingerprint,
            SpkiSha256 = facts.SpkiSha256,
            SerialNumber = facts.SerialNumber,
            Version = facts.Version,
            Subject = facts.Subject,
            SubjectCommonName = Truncate(facts.SubjectCommonName ?? "", 512),
            SubjectOrganization = facts.SubjectOrganization,
            SubjectOrganizationalUnit = facts.SubjectOrganizationalUnit,
            Issuer = facts.Issuer,
            IssuerCommonName = Truncate(facts.IssuerCommonName ?? "", 512),
            IssuerOrganization = facts.IssuerOrganization,
            IssuerOrganizationalUnit = facts.IssuerOrganizationalUnit,
            SubjectHash = InventoryService.NameHash(facts.Subject),
            IssuerHash = InventoryService.NameHash(facts.Issuer),
            NotBefore = facts.NotBefore.ToUniversalTime(),
            NotAfter = facts.NotAfter.ToUniversalTime(),
            PublicKeyAlgorithm = facts.PublicKeyAlgorithm,
            PublicKeySize = facts.PublicKeySize,
            PublicKeyCurve = facts.PublicKeyCurve,
            SignatureAlgorithm = facts.SignatureAlgorithm,
            SubjectKeyIdentifier = facts.SubjectKeyIdentifier,
            AuthorityKeyIdentifier = facts.AuthorityKeyIdentifier,
            IsCertificateAuthority = facts.IsCertificateAuthority,
            PathLengthConstraint = facts.PathLengthConstraint,
            KeyUsages = [.. facts.KeyUsages],
            ExtendedKeyUsages = [.. facts.ExtendedKeyUsages],
            CertificatePolicies = [.. facts.CertificatePolicies],
            ValidationLevel = facts.ValidationLevel,
            CrlDistributionPoints = [.. facts.CrlDistributionPoints],
            OcspUrls = [.. facts.OcspUrls],
            CaIssuerUrls = [.. facts.CaIssuerUrls],
            UnknownCriticalExtensions = [.. facts.UnknownCriticalExtensions],
            EmbeddedSctCount = facts.EmbeddedSctCount,
            MustStaple = facts.MustStaple,
            IsSelfSigned = facts.IsSelfSigned,
            SubjectAlternativeNames = facts.SubjectAlternativeNames.Select(FormatSan).ToList(),
            Der = facts.Der,
        };
        // The keys carry the certificate's dates (the text search orders by them from the key index alone).
        certificate.SearchKeys = CertificateSearchKeys.For(facts)
            .Select(k => new CertificateSearchKey { Key = k, NotAfter = certificate.NotAfter, NotBefore = certificate.NotBefore })
            .ToList();
        return certificate;
    }

    /// <summary>SANs as OpenSSL prints them: "DNS:a.example", "IP Address:10.0.0.1", "email:...", "URI:...".</summary>
    internal static string FormatSan(SubjectAlternativeName san) => san.Type switch
    {
        SubjectAlternativeNameType.Dns => $"DNS:{san.Value}",
        SubjectAlternativeNameType.IpAddress => $"IP Address:{san.Value}",
        SubjectAlternativeNameType.Email => $"email:{san.Value}",
        SubjectAlternativeNameType.Uri => $"URI:{san.Value}",
        SubjectAlternativeNameType.DirectoryName => $"DirName:{san.Value}",
        _ => $"othername:{san.Value}",
    };

    internal static string TooLargeMessage(long limit) => $"file is larger than the {limit / (1024.0 * 1024):0.#} MiB limit";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record WrittenCertificate(long Id, long DivisionId, bool New);

    /// <summary>A decoded file: each certificate's facts and its prepared row (written only if new).</summary>
    private sealed record DecodedFile(ImportFile Source, ContainerFormat? Format, IReadOnlyList<(CertificateFacts Facts, Certificate Entity)> Certificates, string? Error);

    private sealed class ImportTotals
    {
        public int Files { get; set; }
        public int FailedFiles { get; set; }
        public int Certificates { get; set; }
        public int NewCertificates { get; set; }
        public ImportProgress Progress => new(Files, FailedFiles, Certificates);
    }
}
