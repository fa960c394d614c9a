using Certitude.Bench.Inventory;

// bench/inventory: generate (once) and import a million certificates, compare with the raw parse rate, time list queries.
// Usually started by ./run, which builds in Release and provides a throwaway PostgreSQL cluster.
return await InventoryBenchmark.RunAsync(BenchSettings.Parse(args), CancellationToken.None);
