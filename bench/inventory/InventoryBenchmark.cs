using System.Globalization;
using Certitude.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Certitude.Bench.Inventory;

/// <summary>The whole benchmark in order: corpus, raw parse ceiling, imports, list queries, the table.</summary>
internal static class InventoryBenchmark
{
    private const string PostgresDatabase = "certitude_bench";

    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var corpus = new Corpus(settings.CacheDirectory, settings.Count);
        if (settings.QueriesOnly)
        {
            return await QueriesOnlyAsync(settings, corpus, loadAtStart, cancellationToken);
        }

        if (corpus.GeneratedAt() is null)
        {
            Console.Error.WriteLine($"Generating {settings.Count:N0} certificates into {corpus.Directory} (kept for later runs)");
            CorpusGenerator.Generate(corpus);
        }
        else
        {
            Console.Error.WriteLine($"Using the cached corpus in {corpus.Directory}");
        }

        Console.Error.WriteLine("Raw parse rate (in process, all cores)");
        var parse = ParseBenchmark.Run(corpus);
        GC.Collect();

        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        var databases = new List<(string Label, StorageSettings Storage)>
        {
            ("SQLite", StorageSettings.Resolve(Path.Combine(settings.WorkDirectory, "sqlite"), null)),
        };
        if (settings.PostgresAdmin is { } admin)
        {
            databases.Add(("PostgreSQL", StorageSettings.Resolve(Path.Combine(settings.WorkDirectory, "postgresql"), await CreatePostgresDatabaseAsync(admin, cancellationToken))));
        }

        var imports = new List<ImportResult>();
        foreach (var (label, storage) in databases)
        {
            Console.Error.WriteLine($"Importing into {label}: certitude import");
            var result = ImportBenchmark.Run(label, settings.CertitudeDll, corpus, storage.DataDirectory,
                storage.Provider == DatabaseProvider.Sqlite ? null : storage.ConnectionString);
            if (result.Certificates != corpus.TotalCertificates || result.NewCertificates != corpus.TotalCertificates)
            {
                throw new InvalidOperationException($"{label}: expected {corpus.TotalCertificates} new certificates, the import reported {result.NewCertificates} of {result.Certificates}");
            }

            imports.Add(result);
        }

        await ReportAsync(settings, corpus, parse, imports, databases, loadAtStart, cancellationToken);
        return 0;
    }

    private static async Task<int> QueriesOnlyAsync(BenchSettings settings, Corpus corpus, string loadAtStart, CancellationToken cancellationToken)
    {
        var databases = new List<(string Label, StorageSettings Storage)>
        {
            ("SQLite", StorageSettings.Resolve(Path.Combine(settings.WorkDirectory, "sqlite"), null)),
        };
        if (settings.PostgresAdmin is { } admin)
        {
            var database = new NpgsqlConnectionStringBuilder(admin) { Database = PostgresDatabase }.ConnectionString;
            databases.Add(("PostgreSQL", StorageSettings.Resolve(Path.Combine(settings.WorkDirectory, "postgresql"), database)));
        }

        await ReportAsync(settings, corpus, null, [], databases, loadAtStart, cancellationToken);
        return 0;
    }

    private static async Task ReportAsync(BenchSettings settings, Corpus corpus, ParseResult? parse, IReadOnlyList<ImportResult> imports,
        IReadOnlyList<(string Label, StorageSettings Storage)> databases, string loadAtStart, CancellationToken cancellationToken)
    {
        var queries = new List<(string Label, IReadOnlyList<QueryResult> Results)>();
        foreach (var (label, storage) in databases)
        {
            Console.Error.WriteLine($"List queries on {label} ({settings.Runs} runs each)");
            queries.Add((label, await QueryBenchmark.RunAsync(storage, settings.Runs, cancellationToken)));
        }

        var versions = new List<(string, string)> { ("SQLite", SqliteVersion()) };
        if (settings.PostgresAdmin is { } server)
        {
            versions.Add(("PostgreSQL", await PostgresVersionAsync(server, cancellationToken)));
        }

        var machine = MachineInfo.Describe(settings.WorkDirectory).Append(("load", $"{loadAtStart} at the start, {MachineInfo.LoadAverage()} at the end (1/5/15 min)")).ToList();
        Report.Print(Console.Out, new ReportData(corpus, parse, imports, queries, machine, versions, settings.Runs));
    }

    private static async Task<string> CreatePostgresDatabaseAsync(string admin, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            foreach (var sql in (string[])[$"DROP DATABASE IF EXISTS {PostgresDatabase} WITH (FORCE)", $"CREATE DATABASE {PostgresDatabase}"])
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = PostgresDatabase }.ConnectionString;
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = new SqliteCommand("SELECT sqlite_version()", connection);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
    }

    private static async Task<string> PostgresVersionAsync(string admin, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "?";
    }
}
