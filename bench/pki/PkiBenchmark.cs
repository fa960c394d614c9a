using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Certitude.Bench.Pki;

/// <summary>The whole benchmark in order: set-up, the openssl signing ceiling, issuance, OCSP, the table.</summary>
internal static class PkiBenchmark
{
    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        if (Directory.Exists(settings.WorkDirectory))
        {
            Directory.Delete(settings.WorkDirectory, recursive: true);
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        var versions = new List<(string, string)>
        {
            ("openssl", (await ExternalProcess.RunAsync("openssl", ["version"], cancellationToken: cancellationToken)).Trim()),
            ("wrk", await Wrk.VersionAsync()),
            ("SQLite", SqliteVersion()),
        };

        var pki = await PkiSetup.RunAsync(settings, cancellationToken);
        await using (pki.Server)
        {
            var (signs, verifies) = await SignCeiling.MeasureAsync(cancellationToken);
            var issuance = await IssuanceBenchmark.RunAsync(settings, pki, cancellationToken);
            var corpus = await OcspCorpus.BuildAsync(settings, pki, issuance.Issued, cancellationToken);
            var ocsp = await OcspBenchmark.RunAsync(settings, pki, corpus, cancellationToken);
            var machine = MachineInfo.Describe(settings.WorkDirectory)
                .Append(("load", $"{loadAtStart} at the start, {MachineInfo.LoadAverage()} at the end (1/5/15 min)")).ToList();
            Report.Print(Console.Out, new ReportData(signs, verifies, issuance, ocsp, machine, versions, settings));
        }

        return 0;
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = new SqliteCommand("SELECT sqlite_version()", connection);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
    }
}
