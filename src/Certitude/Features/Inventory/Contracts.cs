using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Certitude.Features.Inventory;

/// <summary>Where a certificate stands in time, derived from its validity and now (never stored).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CertificateStatus>))]
public enum CertificateStatus
{
    Valid,
    Expiring,
    Expired,
    NotYetValid,
}

[JsonConverter(typeof(JsonStringEnumConverter<CertificateSort>))]
public enum CertificateSort
{
    NotAfter,
    NotBefore,
    CommonName,
    Issuer,
    Imported,
}

/// <summary>The filters of the certificate list; every one optional. Text matches the start of any name or
/// any dot-separated tail of it (CN, SANs), a serial or a fingerprint.</summary>
public sealed record CertificateQuery
{
    public string? Text { get; init; }
    public string? Issuer { get; init; }
    public CertificateStatus? Status { get; init; }
    public int? ExpiringWithinDays { get; init; }
    public string? KeyAlgorithm { get; init; }
    public string? Tag { get; init; }

    /// <summary>Only certificates of this division and its sub-divisions.</summary>
    public long? DivisionId { get; init; }
    public CertificateSort Sort { get; init; } = CertificateSort.NotAfter;
    public bool Descending { get; init; }
}

public sealed record CertificateSummary(
    long Id,
    string Sha256Fingerprint,
    string? CommonName,
    string Subject,
    string? IssuerCommonName,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    CertificateStatus Status,
    int DaysLeft,
    string KeyAlgorithm,
    int KeySize,
    string? KeyCurve,
    bool IsCertificateAuthority,
    bool IsSelfSigned,
    string? Owner,
    long DivisionId,
    DateTimeOffset ImportedAt);

public sealed record CertificatePage(IReadOnlyList<CertificateSummary> Items, string? NextCursor);

public sealed record CertificateSourceDto(string Kind, string Location, string? Actor, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt);

public sealed record CertificateChainLink(long Id, string Subject, string? CommonName, string Sha256Fingerprint, DateTimeOffset NotAfter, bool IsSelfSigned);

public sealed record CertificateDetails
{
    public required CertificateSummary Summary { get; init; }
    public required int Version { get; init; }
    public required string Sha1Fingerprint { get; init; }
    public required string SpkiSha256 { get; init; }
    public string? SubjectOrganization { get; init; }
    public string? SubjectOrganizationalUnit { get; init; }
    public string? IssuerOrganization { get; init; }
    public string? IssuerOrganizationalUnit { get; init; }
    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }
    public required string SignatureAlgorithm { get; init; }
    public string? SubjectKeyIdentifier { get; init; }
    public string? AuthorityKeyIdentifier { get; init; }
    public int? PathLengthConstraint { get; init; }
    public required IReadOnlyList<string> KeyUsages { get; init; }
    public required IReadOnlyList<string> ExtendedKeyUsages { get; init; }
    public required IReadOnlyList<string> CertificatePolicies { get; init; }
    public required string ValidationLevel { get; init; }
    public required IReadOnlyList<string> CrlDistributionPoints { get; init; }
    public required IReadOnlyList<string> OcspUrls { get; init; }
    public required IReadOnlyList<string> CaIssuerUrls { get; init; }
    public required IReadOnlyList<string> UnknownCriticalExtensions { get; init; }
    public required int EmbeddedSctCount { get; init; }
    public required bool MustStaple { get; init; }
    public string? Notes { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required IReadOnlyList<CertificateSourceDto> Sources { get; init; }

    /// <summary>This certificate first, then each issuer the inventory holds, up to the root.</summary>
    public required IReadOnlyList<CertificateChainLink> Chain { get; init; }

    /// <summary>True when the chain ends at a self-signed certificate.</summary>
    public required bool ChainComplete { get; init; }

    public required string Pem { get; init; }
}

/// <summary>Changes to the organization's fields of a certificate; a null member leaves that field alone.</summary>
public sealed record CertificateUpdate
{
    [StringLength(InventoryLimits.MaxOwnerLength)]
    public string? Owner { get; init; }

    /// <summary>Move the certificate to this division (needs manager rights in both).</summary>
    public long? DivisionId { get; init; }

    [StringLength(InventoryLimits.MaxNotesLength)]
    public string? Notes { get; init; }

    [MaxLength(InventoryLimits.MaxTagsPerCertificate)]
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>One file (or upload) to import.</summary>
/// <param name="Name">What to call it in messages: the path or the uploaded file name.</param>
/// <param name="SourceKind">One of <see cref="CertificateSourceKinds"/>.</param>
/// <param name="Location">The source location remembered with each certificate.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="ReadError">Why the file could not be read (too large, no permission); then Content is empty.</param>
public sealed record ImportFile(string Name, string SourceKind, string Location, ReadOnlyMemory<byte> Content, string? ReadError = null);

/// <summary>What became of one file.</summary>
public sealed record FileImportResult(string Name, string? Format, IReadOnlyList<ImportedCertificate> Certificates, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>One certificate of an imported file. <see cref="Id"/> is null when the certificate was already in the
/// inventory in a division the importer cannot see: it stays there, and nothing more about it is told.</summary>
public sealed record ImportedCertificate(long? Id, string Sha256Fingerprint, string Subject, bool New);

public sealed record ImportSummary(int Files, int FailedFiles, int Certificates, int NewCertificates);

public sealed record ImportProgress(int FilesDone, int FilesFailed, int CertificatesSeen);

public sealed record ImportResponse(ImportSummary Summary, IReadOnlyList<FileImportResult> Files);

public sealed record ExpiryDay(DateOnly Day, int Count);

public sealed record InventoryOverview(IReadOnlyDictionary<CertificateStatus, int> Counts, IReadOnlyList<ExpiryDay> Timeline);

/// <summary>Who imports, and into which division new certificates go (<see cref="CertificateImporter.ResolveTargetAsync"/>).</summary>
public sealed record ImportTarget(Organization.AccessScope Scope, long DivisionId);
