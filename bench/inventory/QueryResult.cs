namespace Certitude.Bench.Inventory;

internal sealed record QueryResult(string Name, int Rows, int Runs, double P50Milliseconds, double P95Milliseconds, double MaxMilliseconds);
