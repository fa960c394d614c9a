namespace Certitude.Features.Discovery;

/// <summary>What a new run scans and why (a definition's schedule, a user's "run now", an upload).</summary>
internal sealed record ScanRunSpec(
    long? DefinitionId, long DivisionId, string? Zone, string Trigger, string RequestedBy,
    IReadOnlyList<string> Targets, string? Ports, IReadOnlyList<string> Exclusions);
