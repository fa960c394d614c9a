namespace Certitude.Bench.Inventory;

internal sealed record QueryResult(string Name, int Rows, double P50Milliseconds, double P95Milliseconds, double MaxMilliseconds);
