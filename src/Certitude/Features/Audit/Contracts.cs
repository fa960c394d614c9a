namespace Certitude.Features.Audit;

/// <summary>Audit log filters; every one optional. <see cref="Divisions"/> is set by the service from the caller's rights.</summary>
public sealed record AuditQuery
{
    public string? Actor { get; init; }

    /// <summary>Action or its prefix: "certificate." matches every certificate action.</summary>
    public string? Action { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public IReadOnlyCollection<long>? Divisions { get; init; }
}

public sealed record AuditEntryDto(long Sequence, DateTimeOffset OccurredAt, string ActorKind, string? ActorId, string ActorName, string Action,
    string TargetType, string? TargetId, long? DivisionId, string? Details, string? SourceAddress, string Hash);

/// <summary>A page of entries, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

/// <summary>The outcome of recomputing the chain.</summary>
/// <param name="Intact">True when every link holds.</param>
/// <param name="VerifiedEntries">How many entries were verified before the first break (all of them when intact).</param>
/// <param name="BrokenSequence">The sequence number at which the chain breaks.</param>
/// <param name="BrokenEntryId">The database id of the row found there.</param>
/// <param name="Problem">What is wrong there.</param>
public sealed record AuditVerification(bool Intact, long VerifiedEntries, long? BrokenSequence, long? BrokenEntryId, string? Problem)
{
    /// <summary>The hash of the last entry, worth writing down outside the database: with it, even a truncated tail shows.</summary>
    public string? HeadHash { get; init; }
}
