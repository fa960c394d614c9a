using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Tls.Targets;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Discovery;

/// <summary>Organization-wide discovery rules: allowed ranges, production ranges, approved CAs, wildcard spread.</summary>
public sealed class DiscoverySettingsService(IDbContextFactory<CertitudeDbContext> contexts, AuditLog audit, TimeProvider time)
{
    public async Task<DiscoverySettingsDto> GetAsync(AccessScope access, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministratorToRead();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return ToDto(await LoadAsync(db, cancellationToken));
    }

    public async Task<DiscoverySettingsDto> UpdateAsync(AccessScope access, DiscoverySettingsInput input, CancellationToken cancellationToken)
    {
        access.DemandOrganizationAdministrator();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var settings = await db.DiscoverySettings.FirstOrDefaultAsync(cancellationToken);
        var isNew = settings is null;
        settings ??= new DiscoverySettings();
        if (input.AllowedRanges is not null)
        {
            settings.AllowedRanges = NormalizeRanges("allowedRanges", input.AllowedRanges);
        }

        if (input.ProductionRanges is not null)
        {
            settings.ProductionRanges = NormalizeRanges("productionRanges", input.ProductionRanges);
        }

        if (input.ApprovedAuthorityCertificateIds is not null)
        {
            var ids = input.ApprovedAuthorityCertificateIds.Distinct().ToList();
            var found = await db.Certificates.Where(c => ids.Contains(c.Id) && c.IsCertificateAuthority).Select(c => c.Id).ToListAsync(cancellationToken);
            var missing = ids.Except(found).ToList();
            if (missing.Count > 0)
            {
                throw new DomainValidationException("approvedAuthorityCertificateIds",
                    $"Not CA certificates of the inventory: {string.Join(", ", missing)}.");
            }

            settings.ApprovedAuthorityCertificateIds = ids;
        }

        if (input.WildcardSpreadThreshold is { } threshold)
        {
            settings.WildcardSpreadThreshold = threshold is >= 1 and <= 100_000
                ? threshold
                : throw new DomainValidationException("wildcardSpreadThreshold", "Between 1 and 100000 endpoints.");
        }

        settings.UpdatedAt = time.GetUtcNow();
        if (isNew)
        {
            db.DiscoverySettings.Add(settings);
        }

        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.settings.update", "discovery-settings", null, null,
            new { settings.AllowedRanges, settings.ProductionRanges, settings.ApprovedAuthorityCertificateIds, settings.WildcardSpreadThreshold }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(settings);
    }

    /// <summary>The stored settings, or the defaults when an administrator never saved any.</summary>
    internal static async Task<DiscoverySettings> LoadAsync(CertitudeDbContext db, CancellationToken cancellationToken) =>
        await db.DiscoverySettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new DiscoverySettings();

    /// <summary>The targets' addresses outside the allowed ranges, as readable items (empty: all allowed).</summary>
    internal static List<string> OutsideAllowed(ScanTargets targets, IReadOnlyList<string> allowedRanges)
    {
        var allowed = ParseRanges(allowedRanges);
        return [.. targets.AddressRanges().Where(r => !allowed.Any(a => a.Covers(r))).Select(r => r.ToString()).Distinct()];
    }

    internal static List<AddressRange> ParseRanges(IEnumerable<string> ranges) =>
        [.. ranges.Select(TargetParser.TryParseRange).OfType<AddressRange>()];

    private static List<string> NormalizeRanges(string field, IReadOnlyList<string> ranges)
    {
        if (ranges.Count > DiscoveryLimits.MaxTargetItems)
        {
            throw new DomainValidationException(field, $"At most {DiscoveryLimits.MaxTargetItems} ranges.");
        }

        var result = new List<string>();
        var invalid = new List<string>();
        foreach (var text in ranges.Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            var range = TargetParser.TryParseRange(text);
            if (range is null)
            {
                invalid.Add(text.Length > 60 ? text[..60] : text);
            }
            else
            {
                result.Add(range.ToString());
            }
        }

        return invalid.Count == 0
            ? [.. result.Distinct()]
            : throw new DomainValidationException(field, $"Not addresses, CIDR ranges or address ranges: {string.Join(", ", invalid)}.");
    }

    private static DiscoverySettingsDto ToDto(DiscoverySettings s) =>
        new(s.AllowedRanges, s.ProductionRanges, s.ApprovedAuthorityCertificateIds, s.WildcardSpreadThreshold, s.UpdatedAt);
}
