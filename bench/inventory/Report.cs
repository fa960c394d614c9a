using System.Globalization;

namespace Certitude.Bench.Inventory;

/// <summary>The result table, plain text so that it reads the same in a terminal, a CI log and docs/benchmarks.md.</summary>
internal static class Report
{
    private const double ImportTarget = 0.50;
    private const double QueryTargetMilliseconds = 50;

    public static void Print(TextWriter output, ReportData data)
    {
        var c = CultureInfo.InvariantCulture;
        void Line(FormattableString line) => output.WriteLine(line.ToString(c));
        var corpus = data.Corpus;
        var parse = data.Parse;
        output.WriteLine();
        Line($"Certitude inventory benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line($"corpus   {corpus.Count:N0} leaves + {Corpus.AuthorityCount} CAs = {corpus.TotalCertificates:N0} certificates in {parse.Files:N0} PEM files ({parse.Bytes / 1e6:N0} MB)");
        foreach (var (name, value) in data.Machine.Concat(data.Versions))
        {
            Line($"{name,-8} {value}");
        }

        output.WriteLine();
        Line($"{"import",-46} {"certs/s",10} {"seconds",9} {"import/raw",11} {"cpu s",7}");
        Line($"{"raw parse: Decode + ReadFacts, all cores",-46} {parse.Rate,10:N0} {parse.Seconds,9:F1} {"(ceiling)",11}");
        Line($"{$"  ECDSA issuer check alone ({parse.VerifiedSample:N0} sample)",-46} {parse.VerifyRate,10:N0} {"",9} {"",11}");
        Line($"{"  parse + one issuer check per certificate",-46} {parse.ParseAndLinkRate,10:N0} {corpus.TotalCertificates / parse.ParseAndLinkRate,9:F1} {parse.ParseAndLinkRate / parse.Rate,11:P1}");
        foreach (var import in data.Imports)
        {
            var ratio = import.Rate / parse.Rate;
            Line($"{$"certitude import -> {import.Label}",-46} {import.Rate,10:N0} {import.Seconds,9:F1} {ratio,11:P1} {import.CpuSeconds,7:F0}  target >= {ImportTarget:P0}: {(ratio >= ImportTarget ? "met" : "NOT met")}");
        }

        output.WriteLine();
        var header = $"{$"list query (first {Features.Inventory.InventoryLimits.DefaultPageSize} rows; {data.Runs} runs)",-46}";
        foreach (var (label, _) in data.Queries)
        {
            header += $" {label + " p50/p95 ms",24}";
        }

        output.WriteLine(header);
        var failures = new List<string>();
        for (var i = 0; i < QueryBenchmark.Definitions.Count; i++)
        {
            var line = $"{QueryBenchmark.Definitions[i].Name,-46}";
            foreach (var (label, results) in data.Queries)
            {
                var result = results[i];
                line += string.Format(c, " {0,24}", $"{result.P50Milliseconds:F1} / {result.P95Milliseconds:F1} ({result.Rows})");
                if (result.P95Milliseconds > QueryTargetMilliseconds)
                {
                    failures.Add($"{label}: {result.Name}");
                }
            }

            output.WriteLine(line);
        }

        Line($"(rows returned in brackets) target p95 <= {QueryTargetMilliseconds} ms: {(failures.Count == 0 ? "met by every query" : "NOT met by " + string.Join("; ", failures))}");
    }
}
