namespace Certitude.Tls.Targets;

/// <summary>Upper bounds on one scan's targets, so that a typo ("10.0.0.0/8" for "/24") is refused instead of run for days.</summary>
/// <param name="MaxEndpoints">Addresses × ports (before host names are resolved).</param>
/// <param name="MaxHostNames">Host names in one scan.</param>
/// <param name="MaxItems">Target, exclusion and port items in one scan.</param>
public sealed record TargetLimits(ulong MaxEndpoints = 1UL << 24, int MaxHostNames = 10_000, int MaxItems = 100_000)
{
    /// <summary>The defaults: 16,777,216 endpoints (a /16 on every default port fits), 10,000 names.</summary>
    public static TargetLimits Default { get; } = new();
}
