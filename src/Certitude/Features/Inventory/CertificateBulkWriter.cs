using System.Collections.Concurrent;
using System.Data.Common;
using Certitude.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Certitude.Features.Inventory;

/// <summary>
/// The importer's writes, through each provider's fastest path instead of EF change tracking (which costs more
/// than parsing the certificates at a million rows): reused multi-row statements on SQLite, binary COPY on
/// PostgreSQL. One writer serves a whole import on one connection; each batch is one transaction
/// (<see cref="BeginAsync"/> to <see cref="CommitAsync"/>), and EF queries on the same context (chain candidates,
/// orphans) run in it and see the rows written so far.
/// </summary>
internal abstract class CertificateBulkWriter(CertitudeDbContext db) : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<IModel, Tables> TablesByModel = new();
    private IDbContextTransaction? _transaction;

    protected CertitudeDbContext Db { get; } = db;

    protected Tables Mapping { get; } = TablesByModel.GetOrAdd(db.Model, model => new Tables(
        BulkTable.For<Certificate>(model, includeGeneratedKey: true),
        BulkTable.For<CertificateSearchKey>(model, includeGeneratedKey: true),
        BulkTable.For<CertificateSource>(model, includeGeneratedKey: false)));

    protected DbConnection Connection => Db.Database.GetDbConnection();

    protected DbTransaction Transaction => _transaction?.GetDbTransaction() ?? throw new InvalidOperationException("BeginAsync first.");

    public static CertificateBulkWriter Create(CertitudeDbContext db) => db.Database.IsNpgsql()
        ? new PostgreSqlCertificateBulkWriter(db)
        : new SqliteCertificateBulkWriter(db);

    /// <summary>Opens the connection for the whole import (one connection keeps SQLite's page cache warm from batch
    /// to batch) and applies the provider's import settings.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await Db.Database.OpenConnectionAsync(cancellationToken);
        await PrepareConnectionAsync(cancellationToken);
    }

    /// <summary>Starts one batch's transaction.</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        _transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        await PrepareTransactionAsync(cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await (_transaction ?? throw new InvalidOperationException("BeginAsync first.")).CommitAsync(cancellationToken);
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    /// <summary>After the last batch, with the number of certificates the import added.</summary>
    public virtual Task FinishAsync(int added, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Abandons the current batch, if any: nothing of it remains.</summary>
    public async Task RollbackAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>The stored certificates among <paramref name="fingerprints"/>, deleted ones included.</summary>
    public abstract Task<Dictionary<string, StoredCertificate>> FindAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken);

    /// <summary>Ids for <paramref name="count"/> new certificates, unique even with other writers at work, so that
    /// rows can reference each other (chain links, search keys, sources) before any of them is written.</summary>
    public abstract Task<long[]> ReserveIdsAsync(int count, CancellationToken cancellationToken);

    /// <summary>
    /// The stored values of new certificates (ids and links already set) and of their search keys. Pure computation
    /// (value conversions, JSON for lists on SQLite), so it runs on worker threads beside the writing.
    /// </summary>
    public PreparedCertificates Prepare(IReadOnlyList<Certificate> certificates) => new(
        [.. certificates.Select(Mapping.Certificates.Values)],
        [.. SearchKeysOf(certificates).Select(Mapping.SearchKeys.Values)]);

    /// <summary>Writes new certificates and their search keys, chunk by chunk as they are ready.</summary>
    public abstract Task InsertCertificatesAsync(IAsyncEnumerable<PreparedCertificates> chunks, CancellationToken cancellationToken);

    /// <summary>Adds sources, or for a (certificate, kind, location) already known only moves its last-seen time.</summary>
    public abstract Task UpsertSourcesAsync(IReadOnlyList<CertificateSource> sources, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        if (Connection.State == System.Data.ConnectionState.Open)
        {
            // The connection goes back to the pool, where the server's requests will use it.
            await RestoreConnectionAsync();
        }

        await Db.Database.CloseConnectionAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual Task PrepareConnectionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task RestoreConnectionAsync() => Task.CompletedTask;

    protected virtual Task PrepareTransactionAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        return command;
    }

    protected static IEnumerable<CertificateSearchKey> SearchKeysOf(IEnumerable<Certificate> certificates) =>
        certificates.SelectMany(c => c.SearchKeys.Select(k =>
        {
            k.CertificateId = c.Id;
            return k;
        }));

    protected sealed record Tables(BulkTable Certificates, BulkTable SearchKeys, BulkTable Sources);
}
