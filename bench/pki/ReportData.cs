namespace Certitude.Bench.Pki;

internal sealed record ReportData(
    double OpensslSignsPerSecond,
    double OpensslVerifiesPerSecond,
    IssuanceResult Issuance,
    OcspResult Ocsp,
    IReadOnlyList<(string Name, string Value)> Machine,
    IReadOnlyList<(string Name, string Value)> Versions,
    BenchSettings Settings);
