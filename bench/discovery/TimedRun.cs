namespace Certitude.Bench.Discovery;

/// <summary>One run of a program: exit code, wall seconds, its CPU seconds, what it printed, and whether it was stopped at its time limit.</summary>
internal sealed record TimedRun(int ExitCode, double Seconds, double CpuSeconds, string Output, string Error, bool TimedOut);
