using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Certitude.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Certitude.Data;

/// <summary>
/// Writes rows on the issuance path with SQL built once from the EF model instead of through EF's change tracking,
/// which costs several times what the database does for the same rows (issuance writes about fifteen per
/// certificate, one after another, in <see cref="GroupCommit"/>'s single writer). Columns and stored values come from
/// <see cref="BulkTable"/>, so an entity's new property is written here exactly as EF would write it. Every command
/// runs in the context's current transaction, is prepared once per context and re-executed for the next rows; the
/// parameters are named <c>@pN</c>, which SQLite and PostgreSQL both accept.
/// </summary>
internal sealed class RowWriter
{
    private static readonly ConditionalWeakTable<CertitudeDbContext, RowWriter> ByContext = [];
    private static readonly ConcurrentDictionary<(IModel Model, Type Entity), Shape> Shapes = new();

    private readonly CertitudeDbContext _db;
    private readonly bool _sqlite;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    private RowWriter(CertitudeDbContext db)
    {
        _db = db;
        _sqlite = db.Database.IsSqlite();
        // Prepared statements belong to the connection: they go when it closes (back to the pool, with the context).
        db.Database.GetDbConnection().StateChange += (_, change) =>
        {
            if (change.CurrentState == System.Data.ConnectionState.Closed)
            {
                foreach (var command in _commands.Values)
                {
                    command.Dispose();
                }

                _commands.Clear();
            }
        };
    }

    /// <summary>The writer of <paramref name="db"/> (one per context, so its prepared commands live as long as the context).</summary>
    public static RowWriter For(CertitudeDbContext db) => ByContext.GetValue(db, context => new RowWriter(context));

    /// <summary>The table of an entity as the model maps it (for SQL that names its columns).</summary>
    public BulkTable Table<TEntity>() => ShapeOf(typeof(TEntity)).Table;

    /// <summary>Inserts one entity and returns the key the database generated for it (0 for a table whose key the caller sets).</summary>
    public async Task<long> InsertAsync<TEntity>(TEntity entity, CancellationToken cancellationToken)
        where TEntity : class
    {
        var shape = ShapeOf(typeof(TEntity));
        var command = Prepared($"insert:{typeof(TEntity).FullName}", () => shape.InsertSql(1, returnKey: true, _sqlite), shape.Table.Columns.Count);
        Bind(command, shape.Table, [entity]);
        if (shape.GeneratedKey is null)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts entities with one statement (their generated keys are not read back).</summary>
    public async Task InsertAllAsync<TEntity>(IReadOnlyList<TEntity> entities, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (entities.Count == 0)
        {
            return;
        }

        var shape = ShapeOf(typeof(TEntity));
        var command = Prepared($"insert:{typeof(TEntity).FullName}:{entities.Count}", () => shape.InsertSql(entities.Count, returnKey: false, _sqlite),
            shape.Table.Columns.Count * entities.Count);
        Bind(command, shape.Table, entities);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes the stored values of <paramref name="properties"/> of the entity whose generated key is <paramref name="key"/>.</summary>
    public async Task UpdateAsync<TEntity>(TEntity entity, long key, IReadOnlyList<string> properties, CancellationToken cancellationToken)
        where TEntity : class
    {
        var shape = ShapeOf(typeof(TEntity));
        var columns = properties.Select(shape.Table.Column).ToList();
        var command = Prepared($"update:{typeof(TEntity).FullName}:{string.Join(',', properties)}", () =>
            $"UPDATE \"{shape.Table.Name}\" SET {string.Join(", ", columns.Select((c, i) => $"{c.Quoted} = @p{i}"))}"
            + $" WHERE \"{shape.GeneratedKey ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no generated key.")}\" = @p{columns.Count}",
            columns.Count + 1);
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters[i].Value = columns[i].Read(entity) ?? DBNull.Value;
        }

        command.Parameters[columns.Count].Value = key;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A command for <paramref name="sql"/> (parameters <c>@p0</c>, <c>@p1</c>, … as many as <paramref name="parameters"/>),
    /// prepared on first use under <paramref name="key"/> and reused; the caller sets the parameters' values and executes it.
    /// </summary>
    public DbCommand Command(string key, Func<string> sql, int parameters) => Prepared(key, sql, parameters);

    private DbCommand Prepared(string key, Func<string> sql, int parameters)
    {
        var transaction = _db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("RowWriter writes inside the caller's transaction; begin one first.");
        if (!_commands.TryGetValue(key, out var command))
        {
            command = transaction.Connection!.CreateCommand();
            command.CommandText = sql();
            for (var i = 0; i < parameters; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
            }

            _commands[key] = command;
        }

        command.Transaction = transaction;
        return command;
    }

    private static void Bind<TEntity>(DbCommand command, BulkTable table, IReadOnlyList<TEntity> entities)
        where TEntity : class
    {
        var parameters = command.Parameters;
        var next = 0;
        foreach (var entity in entities)
        {
            foreach (var column in table.Columns)
            {
                parameters[next++].Value = column.Read(entity) ?? DBNull.Value;
            }
        }
    }

    private Shape ShapeOf(Type entity) => Shapes.GetOrAdd((_db.Model, entity), static key => Shape.For(key.Model, key.Entity));

    /// <summary>An entity's table (without a database-generated key) and the name of that key, if any.</summary>
    private sealed record Shape(BulkTable Table, string? GeneratedKey)
    {
        public static Shape For(IModel model, Type entity)
        {
            var entityType = model.FindEntityType(entity) ?? throw new InvalidOperationException($"{entity.Name} is not part of the model.");
            var key = entityType.FindPrimaryKey()?.Properties is [{ ValueGenerated: not ValueGenerated.Never } single] ? single : null;
            var table = BulkTable.For(model, entity, includeGeneratedKey: false);
            var storeObject = StoreObjectIdentifier.Table(table.Name, entityType.GetSchema());
            return new Shape(table, key?.GetColumnName(storeObject));
        }

        /// <summary>
        /// The INSERT for <paramref name="rows"/> rows. The generated key comes back through RETURNING on PostgreSQL,
        /// and from last_insert_rowid() on SQLite, whose RETURNING buffers the returned rows in a temporary b-tree that
        /// it opens and frees again on every execution.
        /// </summary>
        public string InsertSql(int rows, bool returnKey, bool sqlite)
        {
            var columns = Table.Columns;
            var sql = new StringBuilder($"INSERT INTO \"{Table.Name}\" ({string.Join(", ", columns.Select(c => c.Quoted))}) VALUES ");
            for (var row = 0; row < rows; row++)
            {
                sql.Append(row == 0 ? "(" : ", (")
                    .AppendJoin(", ", columns.Select((_, column) => $"@p{(row * columns.Count) + column}"))
                    .Append(')');
            }

            if (returnKey && GeneratedKey is { } key)
            {
                sql.Append(sqlite ? "; SELECT last_insert_rowid()" : $" RETURNING \"{key}\"");
            }

            return sql.ToString();
        }
    }
}
