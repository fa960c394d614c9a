namespace Certitude.Bench.Pki;

/// <summary>
/// The timed issuance run. ServerCpuSeconds is the certitude process's CPU time during the run (user + system),
/// ClientCpuSeconds this process's (the HTTP client).
/// </summary>
internal sealed record IssuanceResult(int Certificates, int Concurrency, double Seconds, double ServerCpuSeconds, double ClientCpuSeconds,
    double P50Milliseconds, double P99Milliseconds, IReadOnlyList<IssuedItem> Issued)
{
    public double Rate => Certificates / Seconds;
}
