using Certitude.Data;
using Npgsql;

namespace Certitude.TestSupport;

/// <summary>
/// A fresh, empty database for one test class: a SQLite file in a temp folder, or a new database in the
/// throwaway PostgreSQL cluster that <c>scripts/test</c> starts (CERTITUDE_TEST_POSTGRES). A missing
/// PostgreSQL is a failure, never a skip.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresEnvironmentVariable = "CERTITUDE_TEST_POSTGRES";

    private readonly string? _postgresAdmin;
    private readonly string? _postgresDatabase;

    private TestDatabase(StorageSettings storage, string? postgresAdmin, string? postgresDatabase)
    {
        Storage = storage;
        _postgresAdmin = postgresAdmin;
        _postgresDatabase = postgresDatabase;
    }

    public StorageSettings Storage { get; }

    public DatabaseProvider Provider => Storage.Provider;

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var folder = Directory.CreateTempSubdirectory("certitude-test-").FullName;
        if (provider == DatabaseProvider.Sqlite)
        {
            return new TestDatabase(StorageSettings.Resolve(folder, $"Data Source={Path.Combine(folder, "certitude.db")}"), null, null);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{PostgresEnvironmentVariable} is not set: run the tests with ./scripts/test, which starts a throwaway PostgreSQL cluster.");
        }

        var name = "certitude_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(StorageSettings.Resolve(folder, connectionString), admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is not null && _postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Storage.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
