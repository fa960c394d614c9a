using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certitude.Data;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Audit;

/// <summary>
/// Appends to and reads the hash-chained audit log. Appends happen inside the caller's transaction, so a state
/// change and its audit entry commit or roll back together.
/// </summary>
public sealed class AuditLog(IDbContextFactory<CertitudeDbContext> contexts, TimeProvider time)
{
    /// <summary>Any constant: the PostgreSQL advisory lock that serializes appends across server nodes.</summary>
    private const long AppendLockKey = 0x63657274_61756469;

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>Adds entries to <paramref name="db"/>; the caller saves and commits its open transaction.</summary>
    public async Task AppendAsync(CertitudeDbContext db, Actor actor, IEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        await LockChainAsync(db, cancellationToken);

        // Entries appended earlier in this unit of work and not saved yet come last: a change that records several
        // steps (submitted, approved, issued) need not save between them.
        var pending = db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity).OrderByDescending(e => e.Sequence).FirstOrDefault();
        var last = pending is not null ? new { pending.Sequence, pending.Hash }
            : await db.AuditEntries.OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);
        db.AuditEntries.AddRange(Chain(actor, records, last?.Sequence ?? 0, last?.Hash ?? ""));
    }

    /// <summary>
    /// As <see cref="AppendAsync(CertitudeDbContext, Actor, IEnumerable{AuditRecord}, CancellationToken)"/>, but the entries
    /// are written at once with prepared SQL (<see cref="RowWriter"/>) instead of being left to the caller's SaveChanges:
    /// the issuance path, which appends three entries per certificate in one writer. Entries the context holds unsaved
    /// are saved first, so the chain stays in order whichever way its entries came.
    /// </summary>
    public async Task WriteAsync(CertitudeDbContext db, Actor actor, IEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        await LockChainAsync(db, cancellationToken);
        if (db.ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        var rows = RowWriter.For(db);
        var head = rows.Command("audit:head", () =>
        {
            var table = rows.Table<AuditEntry>();
            var sequenceColumn = table.Column(nameof(AuditEntry.Sequence)).Quoted;
            return $"SELECT {sequenceColumn}, {table.Column(nameof(AuditEntry.Hash)).Quoted} FROM \"{table.Name}\" ORDER BY {sequenceColumn} DESC LIMIT 1";
        }, parameters: 0);
        var sequence = 0L;
        var previousHash = "";
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                sequence = reader.GetInt64(0);
                previousHash = reader.GetString(1);
            }
        }

        await rows.InsertAllAsync(Chain(actor, records, sequence, previousHash), cancellationToken);
    }

    public Task WriteAsync(CertitudeDbContext db, Actor actor, AuditRecord record, CancellationToken cancellationToken) =>
        WriteAsync(db, actor, [record], cancellationToken);

    /// <summary>Appends happen in the transaction of the change they record, one transaction at a time.</summary>
    private static async Task LockChainAsync(CertitudeDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are appended inside the transaction of the change they record.");
        }

        if (db.Database.IsNpgsql())
        {
            // SQLite transactions already take the write lock (BEGIN IMMEDIATE); PostgreSQL needs one to keep the chain linear.
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AppendLockKey})", cancellationToken);
        }
    }

    /// <summary>The entries for <paramref name="records"/>, chained after the entry <paramref name="sequence"/> whose hash is <paramref name="previousHash"/>.</summary>
    private List<AuditEntry> Chain(Actor actor, IEnumerable<AuditRecord> records, long sequence, string previousHash)
    {
        // Whole milliseconds: every database stores them exactly (SQLite's integer form and PostgreSQL's microseconds
        // would each round finer ticks differently), and the hash must match what is read back.
        var clock = time.GetUtcNow();
        var now = new DateTimeOffset(clock.Ticks - (clock.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var entries = new List<AuditEntry>();
        foreach (var record in records)
        {
            var entry = new AuditEntry
            {
                Sequence = ++sequence,
                OccurredAt = now,
                ActorKind = actor.Kind,
                ActorId = actor.Id,
                ActorName = Truncate(actor.Name, 256),
                Action = record.Action,
                TargetType = record.TargetType,
                TargetId = record.TargetId is null ? null : Truncate(record.TargetId, 128),
                DivisionId = record.DivisionId,
                Details = record.Details is null ? null : Truncate(JsonSerializer.Serialize(record.Details, DetailsJson), AuditLimits.MaxDetailsLength),
                SourceAddress = actor.SourceAddress,
                PreviousHash = previousHash,
                Hash = "",
            };
            entry.Hash = ComputeHash(entry);
            previousHash = entry.Hash;
            entries.Add(entry);
        }

        return entries;
    }

    public Task AppendAsync(CertitudeDbContext db, Actor actor, AuditRecord record, CancellationToken cancellationToken) =>
        AppendAsync(db, actor, [record], cancellationToken);

    /// <summary>Records something on its own (no other change to commit with it).</summary>
    public async Task RecordAsync(Actor actor, AuditRecord record, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(db, actor, record, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Recomputes the whole chain in order and reports the first broken link, if any.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var expectedSequence = 1L;
        var previousHash = "";
        var lastId = long.MinValue;
        const int page = 5000;
        while (true)
        {
            var from = expectedSequence;
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence).Take(page).ToListAsync(cancellationToken);
            foreach (var entry in entries)
            {
                var problem = entry.Sequence != expectedSequence ? $"entry {expectedSequence} is missing (next is {entry.Sequence})"
                    : entry.PreviousHash != previousHash ? "its previous-hash does not match the entry before it (a row was removed or replaced)"
                    : entry.Id <= lastId ? "it was stored out of order (rows were reordered)"
                    : ComputeHash(entry) != entry.Hash ? "its contents do not match its hash (the row was edited)"
                    : null;
                if (problem is not null)
                {
                    return new AuditVerification(false, expectedSequence - 1, entry.Sequence, entry.Id, problem);
                }

                previousHash = entry.Hash;
                lastId = entry.Id;
                expectedSequence++;
            }

            if (entries.Count < page)
            {
                return new AuditVerification(true, expectedSequence - 1, null, null, null) { HeadHash = previousHash };
            }
        }
    }

    public async Task<AuditPage> ListAsync(AuditQuery query, long? before, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > AuditLimits.MaxPageSize)
        {
            throw new Hosting.DomainValidationException("limit", $"limit must be between 1 and {AuditLimits.MaxPageSize}.");
        }

        await using var db = contexts.CreateDbContext();
        var rows = Filter(db.AuditEntries.AsNoTracking(), query);
        if (before is { } cursor)
        {
            rows = rows.Where(e => e.Sequence < cursor);
        }

        var items = await rows.OrderByDescending(e => e.Sequence).Take(limit + 1).ToListAsync(cancellationToken);
        var next = items.Count > limit ? items[limit - 1].Sequence : (long?)null;
        return new AuditPage(items.Take(limit).Select(ToDto).ToList(), next);
    }

    /// <summary>Every matching entry, newest first, in pages (for CSV export).</summary>
    public async IAsyncEnumerable<AuditEntryDto> StreamAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? before = null;
        do
        {
            var page = await ListAsync(query, before, AuditLimits.MaxPageSize, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            before = page.NextBefore;
        }
        while (before is not null);
    }

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> rows, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            rows = rows.Where(e => e.ActorName == query.Actor || e.ActorId == query.Actor);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            var upper = action + '\uffff';
            rows = rows.Where(e => string.Compare(e.Action, action) >= 0 && string.Compare(e.Action, upper) < 0);
        }

        if (!string.IsNullOrWhiteSpace(query.TargetType))
        {
            rows = rows.Where(e => e.TargetType == query.TargetType);
        }

        if (!string.IsNullOrWhiteSpace(query.TargetId))
        {
            rows = rows.Where(e => e.TargetId == query.TargetId);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(e => e.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(e => e.OccurredAt < to);
        }

        if (query.Divisions is { } divisions)
        {
            rows = rows.Where(e => e.DivisionId != null && divisions.Contains(e.DivisionId.Value));
        }

        return rows;
    }

    private static AuditEntryDto ToDto(AuditEntry e) => new(e.Sequence, e.OccurredAt, e.ActorKind, e.ActorId, e.ActorName, e.Action,
        e.TargetType, e.TargetId, e.DivisionId, e.Details, e.SourceAddress, e.Hash);

    /// <summary>SHA-256 over every field but the hash itself, each length-prefixed so no two entries serialize alike.</summary>
    internal static string ComputeHash(AuditEntry e)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.OccurredAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            e.ActorKind, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId,
            e.DivisionId?.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Details, e.SourceAddress, e.PreviousHash,
        })
        {
            text.Append(field?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-").Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
