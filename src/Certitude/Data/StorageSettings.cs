namespace Certitude.Data;

/// <summary>
/// Where Certitude keeps its state: the data folder (SQLite file, keys, later the CA master key) and the database.
/// </summary>
/// <param name="DataDirectory">Absolute path of the data folder.</param>
/// <param name="ConnectionString">The database connection string.</param>
/// <param name="Provider">Which database the connection string is for.</param>
public sealed record StorageSettings(string DataDirectory, string ConnectionString, DatabaseProvider Provider)
{
    public const string DataEnvironmentVariable = "CERTITUDE_DATA";
    public const string DatabaseEnvironmentVariable = "CERTITUDE_DATABASE";
    public const string DefaultDataDirectory = "certitude-data";

    /// <summary>
    /// Resolves the settings from the command line (wins) or the environment. Without a database setting,
    /// SQLite in <c>certitude.db</c> inside the data folder. A connection string is PostgreSQL when it is a
    /// <c>postgres://</c>/<c>postgresql://</c> URL or names a <c>Host=</c>; anything else is taken as SQLite.
    /// </summary>
    public static StorageSettings Resolve(string? dataDirectory, string? database)
    {
        var folder = Path.GetFullPath(dataDirectory
            ?? Environment.GetEnvironmentVariable(DataEnvironmentVariable)
            ?? DefaultDataDirectory);
        database ??= Environment.GetEnvironmentVariable(DatabaseEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(database))
        {
            return new StorageSettings(folder, $"Data Source={Path.Combine(folder, "certitude.db")}", DatabaseProvider.Sqlite);
        }

        if (database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageSettings(folder, PostgresUrlToConnectionString(new Uri(database)), DatabaseProvider.PostgreSql);
        }

        var isPostgres = database.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(part => part.StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
                      || part.StartsWith("Server=", StringComparison.OrdinalIgnoreCase));
        return new StorageSettings(folder, database, isPostgres ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite);
    }

    private static string PostgresUrlToConnectionString(Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={url.Host}" };
        if (url.Port > 0)
        {
            parts.Add($"Port={url.Port}");
        }

        var databaseName = url.AbsolutePath.Trim('/');
        if (databaseName.Length > 0)
        {
            parts.Add($"Database={Uri.UnescapeDataString(databaseName)}");
        }

        if (userInfo[0].Length > 0)
        {
            parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        }

        if (userInfo.Length > 1)
        {
            parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        }

        return string.Join(';', parts);
    }

    /// <summary>A description safe for logs: the provider and the place, never a password.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite ({ConnectionString.Replace("Data Source=", "", StringComparison.OrdinalIgnoreCase)})"
        : $"PostgreSQL ({new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.Host})";
}
