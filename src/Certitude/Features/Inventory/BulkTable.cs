using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Certitude.Features.Inventory;

/// <summary>
/// A table as the EF model maps it — its name, and for each column the name and a reader that turns an entity's
/// property into the value the provider stores (through the model's value converter: dates as integers and lists
/// as JSON on SQLite, for instance). The bulk writers build their SQL and rows from this, so a property added to an
/// entity is written by the importer too, exactly as EF would write it, without a second list of columns to keep
/// in step.
/// </summary>
internal sealed class BulkTable
{
    private readonly Dictionary<string, BulkColumn> _byProperty;

    private BulkTable(string name, IReadOnlyList<BulkColumn> columns)
    {
        Name = name;
        Columns = columns;
        _byProperty = columns.ToDictionary(c => c.PropertyName, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>The columns an insert writes: every mapped property except keys the database generates.</summary>
    public IReadOnlyList<BulkColumn> Columns { get; }

    /// <param name="model">The context's model (<see cref="DbContext.Model"/>).</param>
    /// <param name="includeGeneratedKey">Whether the caller assigns the generated key itself (certificates: the
    /// importer reserves their ids) or leaves it to the database (sources).</param>
    public static BulkTable For<TEntity>(IModel model, bool includeGeneratedKey) => For(model, typeof(TEntity), includeGeneratedKey);

    /// <inheritdoc cref="For{TEntity}(IModel, bool)"/>
    public static BulkTable For(IModel model, Type entity, bool includeGeneratedKey)
    {
        var entityType = model.FindEntityType(entity)
            ?? throw new InvalidOperationException($"{entity.Name} is not part of the model.");
        var tableName = entityType.GetTableName() ?? throw new InvalidOperationException($"{entity.Name} is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
        var columns = new List<BulkColumn>();
        foreach (var property in entityType.GetProperties())
        {
            if (property.ValueGenerated != ValueGenerated.Never && property.IsPrimaryKey() && !includeGeneratedKey)
            {
                continue;
            }

            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            Func<object, object?> read = converter is null
                ? getter.GetClrValueUsingContainingEntity
                : entity => getter.GetClrValueUsingContainingEntity(entity) is { } value ? converter.ConvertToProvider(value) : null;
            var providerType = converter?.ProviderClrType ?? property.ClrType;
            columns.Add(new BulkColumn(property.Name, property.GetColumnName(table) ?? property.Name,
                Nullable.GetUnderlyingType(providerType) ?? providerType, read));
        }

        return new BulkTable(tableName, columns);
    }

    /// <summary>The stored values of an entity's columns, in <see cref="Columns"/> order.</summary>
    public object?[] Values(object entity)
    {
        var values = new object?[Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Columns[i].Read(entity);
        }

        return values;
    }

    /// <summary>The column of a property, for SQL that names a few columns itself.</summary>
    public BulkColumn Column(string propertyName) => _byProperty[propertyName];
}
