using System.Globalization;
using Certitude.Features.Inventory;

namespace Certitude.Bench.Inventory;

/// <summary>The result table, plain text so that it reads the same in a terminal, a CI log and docs/benchmarks.md.</summary>
internal static class Report
{
    private const double ImportTarget = 0.50;
    private const double QueryTargetMilliseconds = 50;

    public static void Print(TextWriter output, ReportData data)
    {
        var corpus = data.Corpus;
        var files = data.Parse is { } p ? Format($" in {p.Files:N0} PEM files ({p.Bytes / 1e6:N0} MB)") : "";
        output.WriteLine();
        output.WriteLine(Format($"Certitude inventory benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        output.WriteLine(Format($"corpus   {corpus.Count:N0} leaves + {Corpus.AuthorityCount} CAs = {corpus.TotalCertificates:N0} certificates{files}"));
        foreach (var (name, value) in data.Machine.Concat(data.Versions))
        {
            output.WriteLine(Format($"{name,-8} {value}"));
        }

        if (data.Parse is { } parse)
        {
            output.WriteLine();
            PrintImports(output, data, parse);
        }

        output.WriteLine();
        PrintQueries(output, data);
    }

    private static void PrintImports(TextWriter output, ReportData data, ParseResult parse)
    {
        var total = data.Corpus.TotalCertificates;
        output.WriteLine(Format($"{"import",-46} {"certs/s",10} {"seconds",9} {"import/raw",11} {"cpu s",7}"));
        output.WriteLine(Format($"{"raw parse: Decode (with facts), all cores",-46} {parse.Rate,10:N0} {parse.Seconds,9:F1} {"(ceiling)",11}"));
        output.WriteLine(Format($"{$"  ECDSA issuer check alone ({parse.VerifiedSample:N0} sample)",-46} {parse.VerifyRate,10:N0}"));
        output.WriteLine(Format($"{"  parse + one issuer check per certificate",-46} {parse.ParseAndLinkRate,10:N0} {total / parse.ParseAndLinkRate,9:F1} {parse.ParseAndLinkRate / parse.Rate,11:P1}"));
        foreach (var import in data.Imports)
        {
            var ratio = import.Rate / parse.Rate;
            output.WriteLine(Format(
                $"{$"certitude import -> {import.Label}",-46} {import.Rate,10:N0} {import.Seconds,9:F1} {ratio,11:P1} {import.CpuSeconds,7:F0}  target >= {ImportTarget:P0}: {(ratio >= ImportTarget ? "met" : "NOT met")}; {import.Rate / parse.ParseAndLinkRate:P0} of parse + issuer check"));
        }
    }

    private static void PrintQueries(TextWriter output, ReportData data)
    {
        var header = Format($"{$"list query (first {InventoryLimits.DefaultPageSize} rows; {data.Runs} runs)",-46}");
        foreach (var (label, _) in data.Queries)
        {
            header += Format($" {label + " p50/p95 ms",24}");
        }

        output.WriteLine(header);
        var failures = new List<string>();
        for (var i = 0; i < QueryBenchmark.Definitions.Count; i++)
        {
            var line = Format($"{QueryBenchmark.Definitions[i].Name,-46}");
            foreach (var (label, results) in data.Queries)
            {
                var result = results[i];
                var runs = result.Runs < data.Runs ? Format($" x{result.Runs}") : "";
                line += Format($" {Format($"{result.P50Milliseconds:F1} / {result.P95Milliseconds:F1} ({result.Rows}){runs}"),24}");
                if (result.P95Milliseconds > QueryTargetMilliseconds)
                {
                    failures.Add($"{label}: {result.Name}");
                }
            }

            output.WriteLine(line);
        }

        output.WriteLine(Format(
            $"(rows returned in brackets; xN: runs, when a slow query got fewer) target p95 <= {QueryTargetMilliseconds} ms: {(failures.Count == 0 ? "met by every query" : "NOT met by " + string.Join("; ", failures))}"));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
