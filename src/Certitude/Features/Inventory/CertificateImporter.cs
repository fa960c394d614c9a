using Certitude.Data;
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
public sealed class CertificateImporter(
    IDbContextFactory<CertitudeDbContext> contexts,
    IOptions<InventoryOptions> options,
    TimeProvider time,
    ILogger<CertificateImporter> logger)
{
    public async Task<ImportSummary> ImportAsync(
        IAsyncEnumerable<ImportFile> files,
        string? password,
        string actor,
        Action<FileImportResult>? onFile,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var batchSize = options.Value.ImportBatchSize;
        var batch = new List<ImportFile>(batchSize);
        var totals = new ImportTotals();
        await foreach (var file in files.WithCancellation(cancellationToken))
        {
            batch.Add(file);
            if (batch.Count == batchSize)
            {
                await ImportBatchAsync(batch, password, actor, totals, onFile, cancellationToken);
                progress?.Report(totals.Progress);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await ImportBatchAsync(batch, password, actor, totals, onFile, cancellationToken);
            progress?.Report(totals.Progress);
        }

        return new ImportSummary(totals.Files, totals.FailedFiles, totals.Certificates, totals.NewCertificates);
    }

    /// <summary>Imports a few in-memory files (an upload) and returns each file's result.</summary>
    public async Task<(ImportSummary Summary, IReadOnlyList<FileImportResult> Files)> ImportAsync(
        IReadOnlyList<ImportFile> files, string? password, string actor, CancellationToken cancellationToken)
    {
        var results = new List<FileImportResult>();
        var summary = await ImportAsync(files.ToAsyncEnumerable(), password, actor, results.Add, null, cancellationToken);
        return (summary, results);
    }

    private async Task ImportBatchAsync(List<ImportFile> batch, string? password, string actor, ImportTotals totals,
        Action<FileImportResult>? onFile, CancellationToken cancellationToken)
    {
        var decoded = new DecodedFile[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => decoded[i] = Decode(batch[i], password));

        var good = decoded.Where(d => d.Error is null).ToList();
        Dictionary<string, (long Id, bool New)> written;
        try
        {
            written = await WriteAsync(good, actor, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException && good.Count > 1)
        {
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
                    foreach (var (key, value) in await WriteAsync([decoded[i]], actor, cancellationToken))
                    {
                        written[key] = value;
                    }
                }
                catch (Exception single) when (single is DbUpdateException or InvalidOperationException)
                {
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
            foreach (var facts in file.Certificates)
            {
                var (id, isNew) = written[facts.Sha256Fingerprint];
                totals.Certificates++;
                if (isNew)
                {
                    totals.NewCertificates++;
                    // Counted once: a later file of the same batch with the same certificate reports it as known.
                    written[facts.Sha256Fingerprint] = (id, false);
                }

                certificates.Add(new ImportedCertificate(id, facts.Sha256Fingerprint, facts.Subject, isNew));
            }

            onFile?.Invoke(new FileImportResult(file.Source.Name, file.Format?.ToString(), certificates, null));
        }
    }

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
            var facts = container.Certificates.Select(der => CertificateReader.ReadFacts(der)).ToList();
            return new DecodedFile(file, container.Format, facts, null);
        }
        catch (CertificateFormatException e)
        {
            return new DecodedFile(file, null, [], e.Message);
        }
    }

    /// <summary>Writes one batch in one transaction; returns id and novelty per fingerprint.</summary>
    private async Task<Dictionary<string, (long Id, bool New)>> WriteAsync(IReadOnlyList<DecodedFile> files, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = new Dictionary<string, (long Id, bool New)>(StringComparer.Ordinal);
        if (files.Count == 0)
        {
            return result;
        }

        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var allFacts = files.SelectMany(f => f.Certificates).DistinctBy(f => f.Sha256Fingerprint).ToList();
        var fingerprints = allFacts.Select(f => f.Sha256Fingerprint).ToList();
        var existing = await db.Certificates.IgnoreQueryFilters()
            .Where(c => fingerprints.Contains(c.Sha256Fingerprint))
            .ToDictionaryAsync(c => c.Sha256Fingerprint, StringComparer.Ordinal, cancellationToken);

        var added = new List<(Certificate Entity, CertificateFacts Facts)>();
        foreach (var facts in allFacts)
        {
            if (existing.TryGetValue(facts.Sha256Fingerprint, out var known))
            {
                // Importing a deleted certificate again brings it back: someone still has it somewhere.
                known.DeletedAt = null;
                continue;
            }

            var entity = ToEntity(facts, now);
            db.Certificates.Add(entity);
            existing[facts.Sha256Fingerprint] = entity;
            added.Add((entity, facts));
        }

        await db.SaveChangesAsync(cancellationToken);

        var sourceKeys = files.SelectMany(f => f.Certificates.Select(c => (Id: existing[c.Sha256Fingerprint].Id, f.Source.SourceKind, Location: Truncate(f.Source.Location, 2048))))
            .Distinct().ToList();
        var ids = sourceKeys.Select(k => k.Id).Distinct().ToList();
        var knownSources = await db.CertificateSources.Where(s => ids.Contains(s.CertificateId))
            .ToListAsync(cancellationToken);
        var sourceIndex = knownSources.ToDictionary(s => (s.CertificateId, s.Kind, s.Location));
        foreach (var key in sourceKeys)
        {
            if (sourceIndex.TryGetValue(key, out var source))
            {
                source.LastSeenAt = now;
            }
            else
            {
                db.CertificateSources.Add(new CertificateSource
                {
                    CertificateId = key.Id, Kind = key.SourceKind, Location = key.Location, Actor = actor, FirstSeenAt = now, LastSeenAt = now,
                });
            }
        }

        await CertificateChainBuilder.LinkAsync(db, added, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var addedSet = added.Select(a => a.Facts.Sha256Fingerprint).ToHashSet(StringComparer.Ordinal);
        foreach (var (fingerprint, entity) in existing)
        {
            result[fingerprint] = (entity.Id, addedSet.Contains(fingerprint));
        }

        return result;
    }

    private static Certificate ToEntity(CertificateFacts facts, DateTimeOffset now) => new()
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
        CreatedAt = now,
        UpdatedAt = now,
        SearchKeys = CertificateSearchKeys.For(facts).Select(k => new CertificateSearchKey { Key = k }).ToList(),
    };

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

    private sealed record DecodedFile(ImportFile Source, ContainerFormat? Format, IReadOnlyList<CertificateFacts> Certificates, string? Error);

    private sealed class ImportTotals
    {
        public int Files { get; set; }
        public int FailedFiles { get; set; }
        public int Certificates { get; set; }
        public int NewCertificates { get; set; }
        public ImportProgress Progress => new(Files, FailedFiles, Certificates);
    }
}
