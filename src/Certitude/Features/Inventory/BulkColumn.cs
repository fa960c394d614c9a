namespace Certitude.Features.Inventory;

/// <summary>One column of a <see cref="BulkTable"/>.</summary>
/// <param name="PropertyName">The entity property.</param>
/// <param name="Name">The column name in the database.</param>
/// <param name="ProviderType">The CLR type of stored values, after conversion (never a nullable wrapper).</param>
/// <param name="Read">The stored value of this column for an entity; null for SQL NULL.</param>
internal sealed record BulkColumn(string PropertyName, string Name, Type ProviderType, Func<object, object?> Read)
{
    public string Quoted => $"\"{Name}\"";
}
