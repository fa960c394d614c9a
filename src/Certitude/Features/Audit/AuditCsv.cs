using Certitude.Cli;

namespace Certitude.Features.Audit;

/// <summary>The CSV form of audit entries, shared by the API export and the CLI.</summary>
public static class AuditCsv
{
    public const string Header = "sequence,occurred_at,actor_kind,actor_id,actor,action,target_type,target_id,division_id,details,source_address,hash";

    public static string Row(AuditEntryDto e) => Output.CsvRow(e.Sequence, e.OccurredAt, e.ActorKind, e.ActorId, e.ActorName, e.Action,
        e.TargetType, e.TargetId, e.DivisionId, e.Details, e.SourceAddress, e.Hash);
}
