namespace Certitude.Bench.Discovery;

/// <summary>Medians (wall seconds, CPU seconds of this process) of the in-process measurements of <see cref="EngineProfile"/>.</summary>
internal sealed record EngineProfileResult((double Seconds, double Cpu) Probe, (double Seconds, double Cpu) ChainCheck,
    (double Seconds, double Cpu) Sweep, int Certificates);
