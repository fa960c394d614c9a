using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Data;

/// <summary>Creates the data folder and brings the database schema up to date. Runs at every start.</summary>
public sealed class DatabaseMigrator(StorageSettings settings, IDbContextFactory<CertitudeDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromHours(1);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // The data folder holds the database and, later, key material: its owner only.
            File.SetUnixFileMode(settings.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await using var db = contexts.CreateDbContext();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            // WAL lets the UI read while an import writes; the setting is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migrations to {Database}", pending.Count, settings.Describe());
            // A migration may copy a table of millions of rows in one statement (SearchKeyDates: the search keys),
            // longer than the 30 s a command is otherwise given.
            db.Database.SetCommandTimeout(MigrationCommandTimeout);
            await db.Database.MigrateAsync(cancellationToken);
        }
    }
}
