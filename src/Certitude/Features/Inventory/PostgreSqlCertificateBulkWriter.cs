using Certitude.Data;
using Npgsql;
using NpgsqlTypes;

namespace Certitude.Features.Inventory;

/// <summary>
/// PostgreSQL: ids from the table's identity sequence (safe with any number of concurrent importers), new rows
/// by binary COPY (foreign keys are checked at the end of each COPY, so a batch may reference itself), sources by
/// one INSERT ... SELECT FROM unnest(...) ON CONFLICT per batch.
/// </summary>
internal sealed class PostgreSqlCertificateBulkWriter(CertitudeDbContext db) : CertificateBulkWriter(db)
{
    /// <summary>New certificates from which the import refreshes the planner's statistics itself.</summary>
    private const int AnalyzeAfter = 10_000;

    private NpgsqlConnection Npgsql => (NpgsqlConnection)Connection;

    /// <summary>
    /// After a large import, the tables' statistics at once (ANALYZE reads a sample, a fraction of a second at a
    /// million rows): autovacuum would get there within minutes, and until then list queries are planned for the
    /// old sizes (a first page of the inventory took 40 ms instead of 2 right after an import).
    /// </summary>
    public override async Task FinishAsync(int added, CancellationToken cancellationToken)
    {
        if (added < AnalyzeAfter)
        {
            return;
        }

        var tables = string.Join(", ", new[] { Mapping.Certificates, Mapping.SearchKeys, Mapping.Sources }.Select(t => $"\"{t.Name}\""));
        await using var command = Connection.CreateCommand();
        command.CommandText = $"ANALYZE {tables}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<Dictionary<string, StoredCertificate>> FindAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        var table = Mapping.Certificates;
        var fingerprint = table.Column(nameof(Certificate.Sha256Fingerprint)).Quoted;
        await using var command = (NpgsqlCommand)Command(
            $"""
            SELECT {fingerprint}, {table.Column(nameof(Certificate.Id)).Quoted}, {table.Column(nameof(Certificate.DeletedAt)).Quoted} IS NOT NULL,
                   {table.Column(nameof(Certificate.DivisionId)).Quoted}
            FROM "{table.Name}" WHERE {fingerprint} = ANY(@fingerprints)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("fingerprints", [.. fingerprints]));
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
        var table = Mapping.Certificates;
        await using var command = (NpgsqlCommand)Command(
            "SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)");
        command.Parameters.Add(new NpgsqlParameter<string>("table", $"\"{table.Name}\""));
        command.Parameters.Add(new NpgsqlParameter<string>("column", table.Column(nameof(Certificate.Id)).Name));
        command.Parameters.Add(new NpgsqlParameter<int>("count", count));
        var ids = new long[count];
        var next = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[next++] = reader.GetInt64(0);
        }

        return ids;
    }

    public override async Task InsertCertificatesAsync(IAsyncEnumerable<PreparedCertificates> chunks, CancellationToken cancellationToken)
    {
        // One COPY at a time per connection: the certificates stream in chunk by chunk, their keys follow.
        var searchKeys = new List<object?[]>();
        await CopyAsync(Mapping.Certificates, Rows(), cancellationToken);
        await CopyAsync(Mapping.SearchKeys, searchKeys.ToAsyncEnumerable(), cancellationToken);

        async IAsyncEnumerable<object?[]> Rows()
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken))
            {
                searchKeys.AddRange(chunk.SearchKeys);
                foreach (var row in chunk.Certificates)
                {
                    yield return row;
                }
            }
        }
    }

    public override async Task UpsertSourcesAsync(IReadOnlyList<CertificateSource> sources, CancellationToken cancellationToken)
    {
        if (sources.Count == 0)
        {
            return;
        }

        var table = Mapping.Sources;
        var columns = table.Columns;
        var key = string.Join(", ", new[] { nameof(CertificateSource.CertificateId), nameof(CertificateSource.Kind), nameof(CertificateSource.Location) }
            .Select(p => table.Column(p).Quoted));
        var lastSeen = table.Column(nameof(CertificateSource.LastSeenAt)).Quoted;
        await using var command = (NpgsqlCommand)Command(
            $"""
            INSERT INTO "{table.Name}" ({string.Join(", ", columns.Select(c => c.Quoted))})
            SELECT * FROM unnest({string.Join(", ", columns.Select((_, i) => $"@c{i}"))})
            ON CONFLICT ({key}) DO UPDATE SET {lastSeen} = excluded.{lastSeen}
            """);
        for (var i = 0; i < columns.Count; i++)
        {
            var values = Array.CreateInstance(columns[i].ProviderType, sources.Count);
            for (var row = 0; row < sources.Count; row++)
            {
                values.SetValue(columns[i].Read(sources[row]), row);
            }

            command.Parameters.Add(new NpgsqlParameter($"c{i}", NpgsqlDbType.Array | TypeOf(columns[i])) { Value = values });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CopyAsync(BulkTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var columns = table.Columns;
        var writers = columns.Select(WriterFor).ToArray();
        await using var importer = await Npgsql.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => c.Quoted))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (row[i] is { } value)
                {
                    await writers[i](importer, value, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private delegate Task ValueWriter(NpgsqlBinaryImporter importer, object value, CancellationToken cancellationToken);

    /// <summary>A typed write per column: binary COPY sends each value in its column type's wire format.</summary>
    private static ValueWriter WriterFor(BulkColumn column)
    {
        var type = TypeOf(column);
        return column.ProviderType switch
        {
            var t when t == typeof(long) => (i, v, c) => i.WriteAsync((long)v, type, c),
            var t when t == typeof(int) => (i, v, c) => i.WriteAsync((int)v, type, c),
            var t when t == typeof(bool) => (i, v, c) => i.WriteAsync((bool)v, type, c),
            var t when t == typeof(string) => (i, v, c) => i.WriteAsync((string)v, type, c),
            var t when t == typeof(byte[]) => (i, v, c) => i.WriteAsync((byte[])v, type, c),
            var t when t == typeof(DateTimeOffset) => (i, v, c) => i.WriteAsync((DateTimeOffset)v, type, c),
            _ => (i, v, c) => i.WriteAsync((List<string>)v, type, c),
        };
    }

    private static NpgsqlDbType TypeOf(BulkColumn column) => column.ProviderType switch
    {
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(byte[]) => NpgsqlDbType.Bytea,
        var t when t == typeof(DateTimeOffset) => NpgsqlDbType.TimestampTz,
        var t when t == typeof(List<string>) => NpgsqlDbType.Array | NpgsqlDbType.Text,
        var t => throw new NotSupportedException($"Column {column.Name}: no COPY mapping for {t.Name}; add one here."),
    };
}
