namespace Certitude.Bench.Discovery;

internal sealed record ReportData(
    NginxFixture Fixture,
    IReadOnlyList<ScanMeasurement> Scans,
    IReadOnlyDictionary<string, ScanMeasurement> StartUp,
    IReadOnlyList<WrkResult> Ceilings,
    IReadOnlyList<ScanMeasurement> Sweeps,
    EngineProfileResult Engine,
    IReadOnlyList<(string Name, string Value)> Machine,
    IReadOnlyList<(string Name, string Value)> Versions,
    BenchSettings Settings);
