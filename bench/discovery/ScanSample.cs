namespace Certitude.Bench.Discovery;

/// <summary>One timed scan: wall and CPU seconds of the scanner, nginx's CPU seconds meanwhile, and the findings (null when stopped at its time limit).</summary>
internal sealed record ScanSample(double Seconds, double CpuSeconds, double NginxCpuSeconds, ScanFindings? Findings);
