namespace Certitude.Features.Discovery;

public sealed record DiscoverySettingsDto(
    IReadOnlyList<string> AllowedRanges, IReadOnlyList<string> ProductionRanges, IReadOnlyList<long> ApprovedAuthorityCertificateIds,
    int WildcardSpreadThreshold, DateTimeOffset UpdatedAt);

public sealed record DiscoverySettingsInput
{
    public IReadOnlyList<string>? AllowedRanges { get; init; }
    public IReadOnlyList<string>? ProductionRanges { get; init; }
    public IReadOnlyList<long>? ApprovedAuthorityCertificateIds { get; init; }
    public int? WildcardSpreadThreshold { get; init; }
}

public sealed record ScanDefinitionInput
{
    public string? Name { get; init; }
    public long? DivisionId { get; init; }
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>Port list; empty or null: the default TLS ports.</summary>
    public string? Ports { get; init; }

    public IReadOnlyList<string>? Exclusions { get; init; }

    /// <summary>Five-field cron expression in UTC; null: weekly (the server's default schedule).</summary>
    public string? Schedule { get; init; }

    /// <summary>Agent zone; null or empty: the server scans.</summary>
    public string? Zone { get; init; }

    public bool? Enabled { get; init; }
}

public sealed record ScanDefinitionDto(
    long Id, string Name, long DivisionId, IReadOnlyList<string> Targets, string? Ports, IReadOnlyList<string> Exclusions, string Schedule,
    string? Zone, bool Enabled, DateTimeOffset? NextRunAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ScanRunDto? LastRun);

public sealed record ScanRunDto(
    long Id, long? DefinitionId, string? DefinitionName, long DivisionId, string? Zone, string Trigger, string RequestedBy, ScanRunState State,
    IReadOnlyList<string> Targets, string? Ports, IReadOnlyList<string> Exclusions, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int ChunkCount, int ChunksDone, long TotalEndpoints, long ProbedEndpoints, int EndpointsFound,
    int Certificates, int NewEndpoints, int ChangedCertificates, int GoneEndpoints, int Errors);

public sealed record EndpointDto(
    long Id, string Address, int Port, string? HostName, string StartTls, long DivisionId, bool IsActive, DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt, DateTimeOffset? GoneAt, long? CertificateId, string? Sha256Fingerprint, string? Subject, string? Issuer,
    DateTimeOffset? NotAfter, string? Protocol, string? CipherSuite, bool SupportsTls13, double? HandshakeMs, string? Failure, string? Error,
    string? Trust, IReadOnlyList<string> Problems, IReadOnlyList<string> RogueReasons);

public sealed record EndpointObservationDto(
    long RunId, DateTimeOffset ObservedAt, long? CertificateId, string? Sha256Fingerprint, string? Subject, DateTimeOffset? NotAfter,
    string? Protocol, string? CipherSuite, string? Failure, string? Error);

public sealed record EndpointDetailDto(EndpointDto Endpoint, IReadOnlyList<EndpointObservationDto> History, IReadOnlyList<DiscoveryChangeDto> Changes);

public sealed record DiscoveryChangeDto(
    long Id, long RunId, long EndpointId, string Endpoint, string Kind, long? PreviousCertificateId, long? CertificateId, DateTimeOffset DetectedAt);

public sealed record EndpointQuery(string? Text, bool? Rogue, bool? Active, string? Problem, long? DivisionId, long? RunId);

public sealed record EndpointPage(IReadOnlyList<EndpointDto> Items, string? NextCursor);

public sealed record AgentDto(long Id, string Name, string Zone, string Version, DateTimeOffset RegisteredAt, DateTimeOffset LastContactAt, string? LastAddress, bool Disabled);

public sealed record EnrollmentTokenInput
{
    public string? Zone { get; init; }

    /// <summary>How long the token admits new agents; default 24 hours, at most 30 days.</summary>
    public int? ValidHours { get; init; }
}

public sealed record EnrollmentTokenDto(long Id, string Zone, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Revoked, string CreatedBy);

/// <summary>The token itself, shown once.</summary>
public sealed record CreatedEnrollmentTokenDto(EnrollmentTokenDto Token, string Secret);

public sealed record AgentRegistrationInput(string? Token, string? Name, string? Zone, string? Version);

/// <summary>The agent's credential, shown once: send it as <c>Authorization: Bearer {Credential}</c>.</summary>
public sealed record AgentRegistrationDto(long AgentId, string Zone, string Credential);

/// <summary>A chunk leased to a scanner.</summary>
public sealed record ChunkLeaseDto(long ChunkId, long RunId, Guid LeaseToken, IReadOnlyList<string> Targets, string? Ports,
    IReadOnlyList<string> Exclusions, DateTimeOffset LeaseExpiresAt);

public sealed record ChunkResultsInput(Guid LeaseToken, IReadOnlyList<ScanResultDto> Results);

public sealed record ChunkCompletionInput(Guid LeaseToken, long ProbedEndpoints);

/// <summary>Whether the holder still holds the lease (false: another scanner took the chunk over; stop working on it).</summary>
public sealed record LeaseStatusDto(bool Held, DateTimeOffset? LeaseExpiresAt);
