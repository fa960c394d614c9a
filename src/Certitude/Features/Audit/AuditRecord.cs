namespace Certitude.Features.Audit;

/// <summary>What a service wants recorded; <see cref="AuditLog"/> adds time, sequence and hashes.</summary>
public sealed record AuditRecord(string Action, string TargetType, string? TargetId, long? DivisionId = null, object? Details = null);
