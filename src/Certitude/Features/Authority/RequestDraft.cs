using Certitude.Pki;

namespace Certitude.Features.Authority;

/// <summary>A request as the workflow builds it from a new submission, a renewal or a reissue, before the checks.</summary>
internal sealed record RequestDraft
{
    public required long DivisionId { get; init; }
    public required RequestKind Kind { get; init; }

    /// <summary>Renewals and reissues stay with the CA of the certificate they replace.</summary>
    public long? AuthorityId { get; init; }

    public string? Profile { get; init; }
    public long? ReplacesCertificateId { get; init; }
    public string? CommonName { get; init; }
    public required IReadOnlyList<SubjectAlternativeName> Names { get; init; }
    public int? ValidityDays { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public required SubjectKey Key { get; init; }
    public string? Owner { get; init; }
    public string? Comments { get; init; }
}
