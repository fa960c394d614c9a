namespace Certitude.Bench.Pki;

/// <summary>One timed wrk run against an OCSP responder; ResponderCpuSeconds is the responder processes' CPU time during it.</summary>
internal sealed record WrkResult(string Label, long Requests, double Seconds, long Errors, double P50Milliseconds, double P99Milliseconds, double ResponderCpuSeconds)
{
    public double Rate => Requests / Seconds;
}
