using System.Linq.Expressions;
using System.Security.Cryptography;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Inventory;

/// <summary>Reading and curating the inventory: list, detail, owner/tags/notes, delete.
/// Importing lives in <see cref="CertificateImporter"/>.</summary>
public sealed class InventoryService(IDbContextFactory<CertitudeDbContext> contexts, IOptions<InventoryOptions> options, AuditLog audit, TimeProvider time)
{
    /// <summary>Key algorithm names as stored, so a filter typed in any case matches.</summary>
    public static readonly IReadOnlyList<string> KnownKeyAlgorithms = ["RSA", "EC", "Ed25519", "Ed448", "DSA"];

    private TimeSpan ExpiringWindow => TimeSpan.FromDays(options.Value.ExpiringWindowDays);

    public async Task<CertificatePage> ListAsync(AccessScope scope, CertificateQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > InventoryLimits.MaxPageSize)
        {
            throw new DomainValidationException("limit", $"limit must be between 1 and {InventoryLimits.MaxPageSize}.");
        }

        await using var db = contexts.CreateDbContext();
        var now = time.GetUtcNow();
        var after = cursor is null ? null : KeysetCursor.Decode(cursor, query.Sort, query.Descending);
        var (rows, keysInOrder) = await FilterAsync(db, scope, query, now, InKeyOrder(query), cancellationToken);
        if (after is not null)
        {
            rows = rows.Where(After(after));
        }

        var page = keysInOrder is null
            ? await Order(rows, query.Sort, query.Descending).Take(limit + 1).Select(SummaryRow).ToListAsync(cancellationToken)
            : await FirstInKeyOrderAsync(db, rows, keysInOrder, query, after, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(r => ToSummary(r, now)).ToList();
        var next = page.Count > limit ? CursorAfter(items[^1], query).Encode() : null;
        return new CertificatePage(items, next);
    }

    /// <summary>Every match, streamed in keyset pages so memory stays flat however many there are.</summary>
    public async IAsyncEnumerable<CertificateSummary> StreamAsync(AccessScope scope, CertificateQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(scope, query, cursor, InventoryLimits.MaxPageSize, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    public async Task<int> CountAsync(AccessScope scope, CertificateQuery query, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await (await FilterAsync(db, scope, query, time.GetUtcNow(), keyOrder: false, cancellationToken)).Rows.CountAsync(cancellationToken);
    }

    /// <summary>Counts per status for the overview.</summary>
    public async Task<IReadOnlyDictionary<CertificateStatus, int>> CountByStatusAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var result = new Dictionary<CertificateStatus, int>();
        foreach (var status in Enum.GetValues<CertificateStatus>())
        {
            result[status] = await CountAsync(scope, new CertificateQuery { Status = status }, cancellationToken);
        }

        return result;
    }

    /// <summary>How many certificates end on each of the next <paramref name="days"/> days (UTC dates).</summary>
    public async Task<IReadOnlyList<(DateOnly Day, int Count)>> ExpiryTimelineAsync(AccessScope scope, int days, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var now = time.GetUtcNow();
        var end = now.AddDays(days);
        var notAfters = await Readable(db, scope).Where(c => c.NotAfter > now && c.NotAfter <= end)
            .Select(c => c.NotAfter).ToListAsync(cancellationToken);
        var byDay = notAfters.GroupBy(d => DateOnly.FromDateTime(d.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Enumerable.Range(0, days + 1).Select(i => today.AddDays(i)).Select(d => (d, byDay.GetValueOrDefault(d))).ToList();
    }

    /// <summary>Distinct issuer common names, for the issuer filter.</summary>
    public async Task<IReadOnlyList<string>> IssuersAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await Readable(db, scope).Select(c => c.IssuerCommonName).Distinct().OrderBy(n => n).Take(1000).ToListAsync(cancellationToken);
    }

    public async Task<CertificateDetails> GetAsync(AccessScope scope, string idOrFingerprint, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var certificate = await FindAsync(db, scope, idOrFingerprint, cancellationToken)
            ?? throw new NotFoundException($"No certificate {idOrFingerprint} in the inventory.");
        await db.Entry(certificate).Collection(c => c.Tags).LoadAsync(cancellationToken);
        await db.Entry(certificate).Collection(c => c.Sources).LoadAsync(cancellationToken);

        var chain = new List<CertificateChainLink> { ToLink(certificate) };
        var current = certificate;
        var seen = new HashSet<long> { certificate.Id };
        var chainEndsAtRoot = certificate.IsSelfSigned;
        while (current.IssuerCertificateId is { } issuerId && seen.Add(issuerId) && chain.Count < 16)
        {
            var issuer = await db.Certificates.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == issuerId, cancellationToken);
            if (issuer is null)
            {
                break;
            }

            chainEndsAtRoot = issuer.IsSelfSigned;
            // An issuer in a division the caller cannot see ends the list shown, not the chain itself.
            if (scope.CanRead(issuer.DivisionId) && issuer.DeletedAt is null && chain.Count == seen.Count - 1)
            {
                chain.Add(ToLink(issuer));
            }

            current = issuer;
        }

        var now = time.GetUtcNow();
        return new CertificateDetails
        {
            Summary = ToSummary(SummaryRow.Compile()(certificate), now),
            Version = certificate.Version,
            Sha1Fingerprint = certificate.Sha1Fingerprint,
            SpkiSha256 = certificate.SpkiSha256,
            SubjectOrganization = certificate.SubjectOrganization,
            SubjectOrganizationalUnit = certificate.SubjectOrganizationalUnit,
            IssuerOrganization = certificate.IssuerOrganization,
            IssuerOrganizationalUnit = certificate.IssuerOrganizationalUnit,
            SubjectAlternativeNames = certificate.SubjectAlternativeNames,
            SignatureAlgorithm = certificate.SignatureAlgorithm,
            SubjectKeyIdentifier = certificate.SubjectKeyIdentifier,
            AuthorityKeyIdentifier = certificate.AuthorityKeyIdentifier,
            PathLengthConstraint = certificate.PathLengthConstraint,
            KeyUsages = certificate.KeyUsages,
            ExtendedKeyUsages = certificate.ExtendedKeyUsages,
            CertificatePolicies = certificate.CertificatePolicies,
            ValidationLevel = certificate.ValidationLevel.ToString(),
            CrlDistributionPoints = certificate.CrlDistributionPoints,
            OcspUrls = certificate.OcspUrls,
            CaIssuerUrls = certificate.CaIssuerUrls,
            UnknownCriticalExtensions = certificate.UnknownCriticalExtensions,
            EmbeddedSctCount = certificate.EmbeddedSctCount,
            MustStaple = certificate.MustStaple,
            Notes = certificate.Notes,
            Tags = certificate.Tags.Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            Sources = certificate.Sources.OrderBy(s => s.FirstSeenAt)
                .Select(s => new CertificateSourceDto(s.Kind, s.Location, s.Actor, s.FirstSeenAt, s.LastSeenAt)).ToList(),
            Chain = chain,
            ChainComplete = chainEndsAtRoot,
            Pem = PemEncoding.WriteString("CERTIFICATE", certificate.Der),
        };
    }

    public async Task<byte[]> GetDerAsync(AccessScope scope, string idOrFingerprint, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var certificate = await FindAsync(db, scope, idOrFingerprint, cancellationToken)
            ?? throw new NotFoundException($"No certificate {idOrFingerprint} in the inventory.");
        return certificate.Der;
    }

    public async Task<CertificateDetails> UpdateAsync(AccessScope scope, string idOrFingerprint, CertificateUpdate update, CancellationToken cancellationToken)
    {
        var tags = update.Tags is null ? null : NormalizeTags(update.Tags);
        RequireLength("owner", update.Owner, InventoryLimits.MaxOwnerLength);
        RequireLength("notes", update.Notes, InventoryLimits.MaxNotesLength);
        await using (var db = contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var certificate = await FindAsync(db, scope, idOrFingerprint, cancellationToken)
                ?? throw new NotFoundException($"No certificate {idOrFingerprint} in the inventory.");
            if (!scope.CanEditCertificate(certificate.DivisionId, certificate.Owner))
            {
                throw new ForbiddenException("Only the certificate's owner or a manager of its division may change it.");
            }

            await db.Entry(certificate).Collection(c => c.Tags).LoadAsync(cancellationToken);
            var before = new { certificate.Owner, certificate.DivisionId, certificate.Notes, Tags = certificate.Tags.Select(t => t.Name).Order().ToList() };
            if (update.Owner is not null)
            {
                certificate.Owner = EmptyToNull(update.Owner);
            }

            if (update.DivisionId is { } divisionId && divisionId != certificate.DivisionId)
            {
                if (!scope.CanManage(certificate.DivisionId) || !scope.CanManage(divisionId))
                {
                    throw new ForbiddenException("Moving a certificate needs manager rights in both divisions.");
                }

                if (!await db.Divisions.AnyAsync(d => d.Id == divisionId, cancellationToken))
                {
                    throw new DomainValidationException("divisionId", $"No division {divisionId}.");
                }

                certificate.DivisionId = divisionId;
            }

            if (update.Notes is not null)
            {
                certificate.Notes = EmptyToNull(update.Notes);
            }

            if (tags is not null)
            {
                certificate.Tags.RemoveAll(t => !tags.Contains(t.Name));
                foreach (var tag in tags.Where(t => certificate.Tags.All(existing => existing.Name != t)))
                {
                    certificate.Tags.Add(new CertificateTag { Name = tag });
                }
            }

            certificate.UpdatedAt = time.GetUtcNow();
            var after = new { certificate.Owner, certificate.DivisionId, certificate.Notes, Tags = certificate.Tags.Select(t => t.Name).Order().ToList() };
            var action = before.DivisionId != after.DivisionId ? "certificate.move" : "certificate.update";
            await audit.AppendAsync(db, scope.Actor, new AuditRecord(action, "certificate", certificate.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                certificate.DivisionId, new { before, after }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await GetAsync(scope, idOrFingerprint, cancellationToken);
    }

    public async Task DeleteAsync(AccessScope scope, string idOrFingerprint, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var certificate = await FindAsync(db, scope, idOrFingerprint, cancellationToken)
            ?? throw new NotFoundException($"No certificate {idOrFingerprint} in the inventory.");
        if (!scope.CanManage(certificate.DivisionId))
        {
            throw new ForbiddenException("Only a manager of the certificate's division may delete it.");
        }

        certificate.DeletedAt = time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("certificate.delete", "certificate", certificate.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            certificate.DivisionId, new { certificate.Subject, certificate.Sha256Fingerprint }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Tags are lowercase, trimmed, of letters, digits and <c>-_.:/</c>; a bad one is a validation error.</summary>
    internal static List<string> NormalizeTags(IEnumerable<string> tags)
    {
        var result = new List<string>();
        foreach (var raw in tags)
        {
            var tag = raw.Trim().ToLowerInvariant();
            if (tag.Length is 0 or > InventoryLimits.MaxTagLength
                || !tag.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' or ':' or '/'))
            {
                throw new DomainValidationException("tags",
                    $"Tag '{raw}' is not valid: 1 to {InventoryLimits.MaxTagLength} letters, digits or - _ . : /");
            }

            if (!result.Contains(tag))
            {
                result.Add(tag);
            }
        }

        if (result.Count > InventoryLimits.MaxTagsPerCertificate)
        {
            throw new DomainValidationException("tags", $"At most {InventoryLimits.MaxTagsPerCertificate} tags per certificate.");
        }

        return result;
    }

    private static void RequireLength(string field, string? value, int max)
    {
        if (value?.Trim().Length > max)
        {
            throw new DomainValidationException(field, $"{field} is limited to {max} characters.");
        }
    }

    private static string? EmptyToNull(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A certificate the caller may read, by id or fingerprint; null (so: 404) for one in another division.</summary>
    private static Task<Certificate?> FindAsync(CertitudeDbContext db, AccessScope scope, string idOrFingerprint, CancellationToken cancellationToken)
    {
        var rows = Readable(db, scope, tracking: true);
        if (long.TryParse(idOrFingerprint, out var id))
        {
            return rows.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        }

        var fingerprint = CertificateSearchKeys.Normalize(idOrFingerprint);
        return fingerprint.Length == 64
            ? rows.FirstOrDefaultAsync(c => c.Sha256Fingerprint == fingerprint, cancellationToken)
            : Task.FromResult<Certificate?>(null);
    }

    /// <summary>Certificates of the divisions the caller may read: the one filter every query starts from.</summary>
    private static IQueryable<Certificate> Readable(CertitudeDbContext db, AccessScope scope, bool tracking = false)
    {
        var rows = tracking ? db.Certificates : db.Certificates.AsNoTracking();
        return scope.ReadableDivisions is { } divisions ? rows.Where(c => divisions.Contains(c.DivisionId)) : rows;
    }

    /// <summary>The division filter as the set of ids it covers (the division and everything below it), or null.</summary>
    private static async Task<IReadOnlyCollection<long>?> DivisionSubtreeAsync(CertitudeDbContext db, CertificateQuery query, CancellationToken cancellationToken) =>
        query.DivisionId is { } id
            ? new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken)).SubtreeOf(id).ToList()
            : null;

    /// <summary>
    /// The query's filters. With <paramref name="keyOrder"/> (a list in an order the search keys carry) a text search
    /// matching few keys comes back as those keys instead of as a filter on the rows, for
    /// <see cref="FirstInKeyOrderAsync"/>; otherwise <c>MatchingKeys</c> is null and the rows are filtered.
    /// </summary>
    private async Task<(IQueryable<Certificate> Rows, IQueryable<CertificateSearchKey>? MatchingKeys)> FilterAsync(
        CertitudeDbContext db, AccessScope scope, CertificateQuery query, DateTimeOffset now, bool keyOrder, CancellationToken cancellationToken)
    {
        IQueryable<CertificateSearchKey>? matchingKeys = null;
        var divisions = await DivisionSubtreeAsync(db, query, cancellationToken);
        var rows = Readable(db, scope);
        if (divisions is not null)
        {
            rows = rows.Where(c => divisions.Contains(c.DivisionId));
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var prefix = CertificateSearchKeys.Normalize(query.Text);
            if (prefix.Length > InventoryLimits.MaxSearchKeyLength)
            {
                throw new DomainValidationException("text", $"Search text is limited to {InventoryLimits.MaxSearchKeyLength} characters.");
            }

            // A half-open range [prefix, prefix + U+FFFF) is a prefix match the index can serve on both databases.
            var upper = prefix + '\uffff';
            var keys = db.CertificateSearchKeys.Where(k => string.Compare(k.Key, prefix) >= 0 && string.Compare(k.Key, upper) < 0);
            // Two plans, and neither database can tell which one a prefix needs (SQLite keeps no value statistics;
            // PostgreSQL's estimate for a prefix range was off enough that it walked the sort order for a prefix of
            // ten thousand keys: 270 ms). A prefix matching few keys is answered from the key index: in a date or
            // import order the keys themselves give the matches in order and only the first page of rows is read
            // (FirstInKeyOrderAsync); in a name order the matching ids are read (from the index alone, a few
            // milliseconds), then those rows sorted — a host name among a million certificates takes a millisecond
            // instead of a full scan. A prefix matching many is answered by walking the sort order and keeping rows
            // with a matching key, which meets enough of them quickly.
            var threshold = options.Value.TextSearchKeyIndexThreshold;
            var firstMatches = keys.OrderBy(k => k.Key).Select(k => k.CertificateId).Take(threshold + 1);
            if (keyOrder)
            {
                if (await firstMatches.CountAsync(cancellationToken) <= threshold)
                {
                    matchingKeys = keys;
                }
                else
                {
                    rows = rows.Where(c => keys.Any(k => k.CertificateId == c.Id));
                }
            }
            else if (db.Database.IsNpgsql())
            {
                // PostgreSQL plans a list of ids (an array parameter) well, and still walks the sort order when
                // given the subquery: the ids are read first.
                var matches = await firstMatches.ToListAsync(cancellationToken);
                var ids = matches.Distinct().ToList();
                rows = matches.Count <= threshold
                    ? rows.Where(c => ids.Contains(c.Id))
                    : rows.Where(c => keys.Any(k => k.CertificateId == c.Id));
            }
            else
            {
                // SQLite plans the subquery as a list, and walks the sort order when given a list parameter.
                rows = await firstMatches.CountAsync(cancellationToken) <= threshold
                    ? rows.Where(c => keys.Select(k => k.CertificateId).Contains(c.Id))
                    : rows.Where(c => keys.Any(k => k.CertificateId == c.Id));
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Issuer))
        {
            var issuer = query.Issuer.Trim();
            rows = rows.Where(c => c.IssuerCommonName == issuer || c.Issuer == issuer);
        }

        if (!string.IsNullOrWhiteSpace(query.KeyAlgorithm))
        {
            var algorithm = query.KeyAlgorithm.Trim();
            var known = KnownKeyAlgorithms.FirstOrDefault(a => a.Equals(algorithm, StringComparison.OrdinalIgnoreCase)) ?? algorithm;
            rows = rows.Where(c => c.PublicKeyAlgorithm == known);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            var tag = query.Tag.Trim().ToLowerInvariant();
            rows = rows.Where(c => c.Tags.Any(t => t.Name == tag));
        }

        if (query.ExpiringWithinDays is { } days)
        {
            if (days is < 0 or > 36500)
            {
                throw new DomainValidationException("expiringWithinDays", "expiringWithinDays must be between 0 and 36500.");
            }

            var end = now.AddDays(days);
            rows = rows.Where(c => c.NotAfter > now && c.NotAfter <= end);
        }

        if (query.Status is { } status)
        {
            var windowEnd = now + ExpiringWindow;
            rows = status switch
            {
                CertificateStatus.NotYetValid => rows.Where(c => c.NotBefore > now),
                CertificateStatus.Expired => rows.Where(c => c.NotAfter <= now),
                CertificateStatus.Expiring => rows.Where(c => c.NotBefore <= now && c.NotAfter > now && c.NotAfter <= windowEnd),
                _ => rows.Where(c => c.NotBefore <= now && c.NotAfter > windowEnd),
            };
        }

        return (rows, matchingKeys);
    }

    /// <summary>
    /// Whether a text search is answered by <see cref="FirstInKeyOrderAsync"/>: the search keys carry the sort key of
    /// the order (their dates and certificate id), and no filter but the division narrows the rows. With another
    /// filter the databases keep their own plan for the matching ids, which may use that filter's index: trying the
    /// keys first cost a search with a 1-in-200 status and key algorithm filter 20 ms more on PostgreSQL.
    /// </summary>
    private static bool InKeyOrder(CertificateQuery query) =>
        query.Sort is not (CertificateSort.CommonName or CertificateSort.Issuer)
        && string.IsNullOrWhiteSpace(query.Issuer) && string.IsNullOrWhiteSpace(query.KeyAlgorithm) && string.IsNullOrWhiteSpace(query.Tag)
        && query.ExpiringWithinDays is null && query.Status is null;

    /// <summary>
    /// The first <paramref name="count"/> of <paramref name="rows"/> (after <paramref name="cursor"/>) among the
    /// certificates of <paramref name="keys"/>, in the query's order, which the keys carry. The first keys in that
    /// order are read from their index alone and only their rows are fetched: a page of fifty among ten thousand
    /// matches reads two hundred rows instead of ten thousand. Those certificates come before any other in the
    /// order, so their rows in the caller's divisions start the page. When the divisions leave too few, the rest of
    /// the page comes from the remaining keys as a filter on the rows, as in the plan for a name order.
    /// </summary>
    private static async Task<List<SummaryData>> FirstInKeyOrderAsync(CertitudeDbContext db, IQueryable<Certificate> rows,
        IQueryable<CertificateSearchKey> keys, CertificateQuery query, KeysetCursor? cursor, int count, CancellationToken cancellationToken)
    {
        var (sort, descending) = (query.Sort, query.Descending);
        var start = cursor is null ? null : KeyPosition.Of(cursor);
        var batch = 4 * count;
        var batchKeys = OrderKeys(start is null ? keys : keys.Where(KeysAfter(start, sort, descending)), sort, descending).Take(batch);
        // A cross join of the batch's ids with the rows, ids first: SQLite keeps the left side of a CROSS JOIN as the
        // outer loop, so each id is one primary-key lookup. Given the ids as a list, SQLite (which keeps no
        // statistics) may walk the index of another filter instead, all of it when the batch holds fewer rows than
        // the page needs (with a key algorithm filter: every RSA certificate, 100 ms; divisions have such an index).
        var batchRows = from id in batchKeys.Select(k => k.CertificateId).Distinct()
                        from c in rows
                        where c.Id == id
                        select c;
        var found = await Order(batchRows, sort, descending).Take(count).Select(SummaryRow).ToListAsync(cancellationToken);
        if (found.Count == count)
        {
            return found;
        }

        var last = await batchKeys.Skip(batch - 1)
            .Select(k => new KeyPosition(k.CertificateId, k.NotAfter, k.NotBefore))
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return found;
        }

        // The batch's certificates are all at or before its last key; the remaining keys' are all after it.
        var rest = keys.Where(KeysAfter(last, sort, descending)).Select(k => k.CertificateId);
        IQueryable<Certificate> restRows;
        if (db.Database.IsNpgsql())
        {
            // As FilterAsync: PostgreSQL plans a list of ids well, SQLite the subquery.
            var ids = await rest.Distinct().ToListAsync(cancellationToken);
            restRows = rows.Where(c => ids.Contains(c.Id));
        }
        else
        {
            restRows = rows.Where(c => rest.Contains(c.Id));
        }

        found.AddRange(await Order(restRows, sort, descending).Take(count - found.Count).Select(SummaryRow).ToListAsync(cancellationToken));
        return found;
    }

    private static IQueryable<CertificateSearchKey> OrderKeys(IQueryable<CertificateSearchKey> keys, CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.NotAfter, false) => keys.OrderBy(k => k.NotAfter).ThenBy(k => k.CertificateId),
        (CertificateSort.NotAfter, true) => keys.OrderByDescending(k => k.NotAfter).ThenByDescending(k => k.CertificateId),
        (CertificateSort.NotBefore, false) => keys.OrderBy(k => k.NotBefore).ThenBy(k => k.CertificateId),
        (CertificateSort.NotBefore, true) => keys.OrderByDescending(k => k.NotBefore).ThenByDescending(k => k.CertificateId),
        (_, false) => keys.OrderBy(k => k.CertificateId),
        (_, true) => keys.OrderByDescending(k => k.CertificateId),
    };

    /// <summary>Keys strictly after a position in the order of <see cref="OrderKeys"/>; written as <see cref="After"/>.</summary>
    private static Expression<Func<CertificateSearchKey, bool>> KeysAfter(KeyPosition position, CertificateSort sort, bool descending)
    {
        var id = position.CertificateId;
        var notAfter = position.NotAfter;
        var notBefore = position.NotBefore;
        return (sort, descending) switch
        {
            (CertificateSort.NotAfter, false) => k => k.NotAfter >= notAfter && (k.NotAfter > notAfter || k.CertificateId > id),
            (CertificateSort.NotAfter, true) => k => k.NotAfter <= notAfter && (k.NotAfter < notAfter || k.CertificateId < id),
            (CertificateSort.NotBefore, false) => k => k.NotBefore >= notBefore && (k.NotBefore > notBefore || k.CertificateId > id),
            (CertificateSort.NotBefore, true) => k => k.NotBefore <= notBefore && (k.NotBefore < notBefore || k.CertificateId < id),
            (_, false) => k => k.CertificateId > id,
            (_, true) => k => k.CertificateId < id,
        };
    }

    private static IQueryable<Certificate> Order(IQueryable<Certificate> rows, CertificateSort sort, bool descending) => (sort, descending) switch
    {
        (CertificateSort.NotAfter, false) => rows.OrderBy(c => c.NotAfter).ThenBy(c => c.Id),
        (CertificateSort.NotAfter, true) => rows.OrderByDescending(c => c.NotAfter).ThenByDescending(c => c.Id),
        (CertificateSort.NotBefore, false) => rows.OrderBy(c => c.NotBefore).ThenBy(c => c.Id),
        (CertificateSort.NotBefore, true) => rows.OrderByDescending(c => c.NotBefore).ThenByDescending(c => c.Id),
        (CertificateSort.CommonName, false) => rows.OrderBy(c => c.SubjectCommonName).ThenBy(c => c.Id),
        (CertificateSort.CommonName, true) => rows.OrderByDescending(c => c.SubjectCommonName).ThenByDescending(c => c.Id),
        (CertificateSort.Issuer, false) => rows.OrderBy(c => c.IssuerCommonName).ThenBy(c => c.Id),
        (CertificateSort.Issuer, true) => rows.OrderByDescending(c => c.IssuerCommonName).ThenByDescending(c => c.Id),
        (_, false) => rows.OrderBy(c => c.Id),
        (_, true) => rows.OrderByDescending(c => c.Id),
    };

    /// <summary>
    /// Rows strictly after the cursor in the query's order: (key, id) compared as a pair. Written as
    /// <c>key >= k AND (key > k OR id > i)</c> rather than <c>key > k OR (key = k AND id > i)</c>: the leading range
    /// is what lets PostgreSQL start the (key, id) index scan at the cursor; with the OR alone it scanned from the
    /// start (two seconds half-way through a million rows).
    /// </summary>
    private static Expression<Func<Certificate, bool>> After(KeysetCursor cursor)
    {
        var id = cursor.Id;
        switch (cursor.Sort)
        {
            case CertificateSort.NotAfter or CertificateSort.NotBefore:
                var instant = DateTimeOffset.Parse(cursor.Value, System.Globalization.CultureInfo.InvariantCulture);
                return (cursor.Sort, cursor.Descending) switch
                {
                    (CertificateSort.NotAfter, false) => c => c.NotAfter >= instant && (c.NotAfter > instant || c.Id > id),
                    (CertificateSort.NotAfter, true) => c => c.NotAfter <= instant && (c.NotAfter < instant || c.Id < id),
                    (_, false) => c => c.NotBefore >= instant && (c.NotBefore > instant || c.Id > id),
                    _ => c => c.NotBefore <= instant && (c.NotBefore < instant || c.Id < id),
                };
            case CertificateSort.CommonName or CertificateSort.Issuer:
                var text = cursor.Value;
                return (cursor.Sort, cursor.Descending) switch
                {
                    (CertificateSort.CommonName, false) => c => string.Compare(c.SubjectCommonName, text) >= 0 && (string.Compare(c.SubjectCommonName, text) > 0 || c.Id > id),
                    (CertificateSort.CommonName, true) => c => string.Compare(c.SubjectCommonName, text) <= 0 && (string.Compare(c.SubjectCommonName, text) < 0 || c.Id < id),
                    (_, false) => c => string.Compare(c.IssuerCommonName, text) >= 0 && (string.Compare(c.IssuerCommonName, text) > 0 || c.Id > id),
                    _ => c => string.Compare(c.IssuerCommonName, text) <= 0 && (string.Compare(c.IssuerCommonName, text) < 0 || c.Id < id),
                };
            default:
                return cursor.Descending ? c => c.Id < id : c => c.Id > id;
        }
    }

    private static KeysetCursor CursorAfter(CertificateSummary last, CertificateQuery query) => new(query.Sort, query.Descending, query.Sort switch
    {
        CertificateSort.NotAfter => last.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        CertificateSort.NotBefore => last.NotBefore.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        CertificateSort.CommonName => last.CommonName ?? "",
        CertificateSort.Issuer => last.IssuerCommonName ?? "",
        _ => "",
    }, last.Id);

    /// <summary>Where a search key stands in a date or import order: its certificate and that certificate's dates.</summary>
    private sealed record KeyPosition(long CertificateId, DateTimeOffset NotAfter, DateTimeOffset NotBefore)
    {
        /// <summary>A page cursor as a position (of a date or import order: the value is a date or unused).</summary>
        public static KeyPosition Of(KeysetCursor cursor)
        {
            var instant = cursor.Sort is CertificateSort.NotAfter or CertificateSort.NotBefore
                ? DateTimeOffset.Parse(cursor.Value, System.Globalization.CultureInfo.InvariantCulture)
                : default;
            return new KeyPosition(cursor.Id, instant, instant);
        }
    }

    private sealed record SummaryData(long Id, string Sha256, string Cn, string Subject, string IssuerCn, string Issuer, string Serial,
        DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KeyAlgorithm, int KeySize, string? Curve, bool IsCa, bool SelfSigned,
        string? Owner, long DivisionId, DateTimeOffset CreatedAt);

    private static readonly Expression<Func<Certificate, SummaryData>> SummaryRow = c => new SummaryData(
        c.Id, c.Sha256Fingerprint, c.SubjectCommonName, c.Subject, c.IssuerCommonName, c.Issuer, c.SerialNumber,
        c.NotBefore, c.NotAfter, c.PublicKeyAlgorithm, c.PublicKeySize, c.PublicKeyCurve, c.IsCertificateAuthority, c.IsSelfSigned,
        c.Owner, c.DivisionId, c.CreatedAt);

    private CertificateSummary ToSummary(SummaryData r, DateTimeOffset now) => new(
        r.Id, r.Sha256, EmptyToNull(r.Cn), r.Subject, EmptyToNull(r.IssuerCn), r.Issuer, r.Serial, r.NotBefore, r.NotAfter,
        CertificateStatusPolicy.StatusAt(r.NotBefore, r.NotAfter, now, ExpiringWindow), CertificateStatusPolicy.DaysLeft(r.NotAfter, now),
        r.KeyAlgorithm, r.KeySize, r.Curve, r.IsCa, r.SelfSigned, r.Owner, r.DivisionId, r.CreatedAt);

    private static CertificateChainLink ToLink(Certificate c) =>
        new(c.Id, c.Subject, EmptyToNull(c.SubjectCommonName), c.Sha256Fingerprint, c.NotAfter, c.IsSelfSigned);

    internal static string NameHash(string distinguishedName) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(distinguishedName)).AsSpan(0, 16));
}
