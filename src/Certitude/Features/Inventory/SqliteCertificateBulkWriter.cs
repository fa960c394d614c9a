using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Certitude.Data;

namespace Certitude.Features.Inventory;

/// <summary>
/// SQLite: one write transaction (Microsoft.Data.Sqlite begins it IMMEDIATE, so no other writer can take ids
/// meanwhile), multi-row INSERT statements prepared once and re-executed, and foreign keys checked at commit so
/// that rows of one batch may reference each other in any order.
/// </summary>
internal sealed class SqliteCertificateBulkWriter(CertitudeDbContext db) : CertificateBulkWriter(db)
{
    /// <summary>
    /// Bound parameters per statement. Narrow rows (search keys) go several to a statement so that per-execution
    /// overhead is shared; wide ones (certificates) one each, because Microsoft.Data.Sqlite finds each parameter by
    /// name among all of the statement's (a cost that grows with the square of their number: 2,000 per statement
    /// made the import slower than one row each).
    /// </summary>
    private const int ParametersPerStatement = 64;

    /// <summary>Page cache of the importing connection, in KiB. SQLite's default (2 MiB) is far smaller than
    /// the indexes a large import updates at random places (fingerprints, names, dates, search keys), and a batch's
    /// changed pages should stay in the cache until its commit rather than spill to the WAL half-way.</summary>
    private const int ImportCacheKibibytes = 512 * 1024;

    /// <summary>
    /// For the import only: a larger page cache, and <c>synchronous = NORMAL</c>, with which SQLite in WAL mode
    /// syncs at checkpoints instead of at every commit (each batch's commit otherwise waits for tens of megabytes
    /// to reach the disk). The database stays consistent after a crash or power loss; only the last batches may be
    /// lost, and importing the same files again brings them. The server's own settings are restored afterwards.
    /// </summary>
    protected override Task PrepareConnectionAsync(CancellationToken cancellationToken) =>
        ExecuteAsync($"PRAGMA cache_size = -{ImportCacheKibibytes}; PRAGMA synchronous = NORMAL;", cancellationToken);

    /// <summary>Back to SQLite's defaults (which also gives the cache's memory back) before the connection returns to the pool.</summary>
    protected override Task RestoreConnectionAsync() => ExecuteAsync("PRAGMA cache_size = -2000; PRAGMA synchronous = FULL;", CancellationToken.None);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task PrepareTransactionAsync(CancellationToken cancellationToken)
    {
        // Reset by SQLite itself at commit or rollback.
        await using var command = Command("PRAGMA defer_foreign_keys = ON;");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<Dictionary<string, StoredCertificate>> FindAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        var table = Mapping.Certificates;
        var fingerprint = table.Column(nameof(Certificate.Sha256Fingerprint)).Quoted;
        await using var command = Command(
            $"""
            SELECT {fingerprint}, {table.Column(nameof(Certificate.Id)).Quoted}, {table.Column(nameof(Certificate.DeletedAt)).Quoted} IS NOT NULL,
                   {table.Column(nameof(Certificate.DivisionId)).Quoted}
            FROM "{table.Name}" WHERE {fingerprint} IN (SELECT value FROM json_each($fingerprints))
            """);
        AddParameter(command, "$fingerprints", JsonSerializer.Serialize(fingerprints));
        var result = new Dictionary<string, StoredCertificate>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = new StoredCertificate(reader.GetInt64(1), reader.GetBoolean(2), reader.GetInt64(3));
        }

        return result;
    }

    public override async Task<long[]> ReserveIdsAsync(int count, CancellationToken cancellationToken)
    {
        // AUTOINCREMENT never reuses an id, not even a deleted row's: continue after the larger of the recorded
        // high-water mark and the largest id present. Explicit ids above it move the mark, as SQLite documents.
        var table = Mapping.Certificates;
        await using var command = Command(
            $"""
            SELECT max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = $table), 0),
                       ifnull((SELECT max({table.Column(nameof(Certificate.Id)).Quoted}) FROM "{table.Name}"), 0))
            """);
        AddParameter(command, "$table", table.Name);
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(1, count).Select(i => last + i)];
    }

    public override async Task InsertCertificatesAsync(IAsyncEnumerable<PreparedCertificates> chunks, CancellationToken cancellationToken)
    {
        // Foreign keys are checked at commit, so a chunk's search keys may follow it at once.
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            await InsertAsync(Mapping.Certificates, chunk.Certificates, "", cancellationToken);
            await InsertAsync(Mapping.SearchKeys, chunk.SearchKeys, "", cancellationToken);
        }
    }

    public override Task UpsertSourcesAsync(IReadOnlyList<CertificateSource> sources, CancellationToken cancellationToken)
    {
        var table = Mapping.Sources;
        var key = string.Join(", ", new[] { nameof(CertificateSource.CertificateId), nameof(CertificateSource.Kind), nameof(CertificateSource.Location) }
            .Select(p => table.Column(p).Quoted));
        var lastSeen = table.Column(nameof(CertificateSource.LastSeenAt)).Quoted;
        return InsertAsync(table, [.. sources.Select(table.Values)], $" ON CONFLICT ({key}) DO UPDATE SET {lastSeen} = excluded.{lastSeen}", cancellationToken);
    }

    /// <summary>Inserts rows with full statements of many rows each (one prepared command reused), then the rest.</summary>
    private async Task InsertAsync(BulkTable table, IReadOnlyList<object?[]> rows, string suffix, CancellationToken cancellationToken)
    {
        var columns = table.Columns;
        var rowsPerStatement = Math.Max(1, ParametersPerStatement / columns.Count);
        var full = rows.Count / rowsPerStatement;
        if (full > 0)
        {
            await using var command = InsertCommand(table, rowsPerStatement, suffix);
            for (var statement = 0; statement < full; statement++)
            {
                Bind(command, rows, statement * rowsPerStatement, rowsPerStatement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var rest = rows.Count - (full * rowsPerStatement);
        if (rest > 0)
        {
            await using var command = InsertCommand(table, rest, suffix);
            Bind(command, rows, full * rowsPerStatement, rest);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private DbCommand InsertCommand(BulkTable table, int rowCount, string suffix)
    {
        var columns = table.Columns;
        var sql = new StringBuilder($"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => c.Quoted))}) VALUES ");
        var command = Command("");
        for (var row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                var name = $"$p{(row * columns.Count) + column}";
                sql.Append(column == 0 ? name : ", " + name);
                AddParameter(command, name, DBNull.Value);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(suffix).Append(';').ToString();
        return command;
    }

    private static void Bind(DbCommand command, IReadOnlyList<object?[]> rows, int first, int count)
    {
        var parameters = command.Parameters;
        var next = 0;
        for (var row = first; row < first + count; row++)
        {
            foreach (var value in rows[row])
            {
                parameters[next++].Value = value ?? DBNull.Value;
            }
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
