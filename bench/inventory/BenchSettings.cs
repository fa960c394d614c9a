using System.Globalization;

namespace Certitude.Bench.Inventory;

/// <param name="Count">Leaf certificates to generate and import.</param>
/// <param name="CacheDirectory">Where generated corpora are kept between runs.</param>
/// <param name="WorkDirectory">Scratch space for this run's data folders (emptied first).</param>
/// <param name="CertitudeDll">The built <c>certitude.dll</c> whose <c>import</c> is timed.</param>
/// <param name="PostgresAdmin">Connection string of a PostgreSQL server to create a benchmark database in; none skips PostgreSQL.</param>
/// <param name="Runs">Timed runs per list query.</param>
/// <param name="QueriesOnly">Skip parsing and importing; time the queries on the databases a previous run left
/// (SQLite in the work folder, PostgreSQL's benchmark database): for trying indexes without importing again.</param>
internal sealed record BenchSettings(int Count, string CacheDirectory, string WorkDirectory, string CertitudeDll, string? PostgresAdmin, int Runs, bool QueriesOnly)
{
    private const string Usage =
        "usage: certitude-bench-inventory --certitude PATH/certitude.dll [--count N] [--cache DIR] [--work DIR] [--postgres CONNECTION] [--runs N] [--queries-only true]";

    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'\n{Usage}");
            }

            values[args[i][2..]] = args[++i];
        }

        var unknown = values.Keys.Except(["count", "cache", "work", "certitude", "postgres", "runs", "queries-only"]).ToList();
        if (unknown.Count > 0 || !values.TryGetValue("certitude", out var certitude))
        {
            throw new ArgumentException(Usage);
        }

        var count = int.Parse(values.GetValueOrDefault("count", "1000000").Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        if (count < Corpus.CertificatesPerFile)
        {
            throw new ArgumentException($"--count must be at least {Corpus.CertificatesPerFile}");
        }

        var cache = values.GetValueOrDefault("cache", Path.Combine(AppContext.BaseDirectory, "cache"));
        return new BenchSettings(
            count,
            cache,
            values.GetValueOrDefault("work", Path.Combine(cache, "work")),
            Path.GetFullPath(certitude),
            values.GetValueOrDefault("postgres"),
            int.Parse(values.GetValueOrDefault("runs", "50"), CultureInfo.InvariantCulture),
            bool.Parse(values.GetValueOrDefault("queries-only", "false")));
    }
}
