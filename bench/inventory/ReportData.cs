namespace Certitude.Bench.Inventory;

internal sealed record ReportData(
    Corpus Corpus,
    ParseResult? Parse,
    IReadOnlyList<ImportResult> Imports,
    IReadOnlyList<(string Label, IReadOnlyList<QueryResult> Results)> Queries,
    IReadOnlyList<(string Name, string Value)> Machine,
    IReadOnlyList<(string Name, string Value)> Versions,
    int Runs);
