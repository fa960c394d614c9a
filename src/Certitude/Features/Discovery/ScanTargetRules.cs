using Certitude.Hosting;
using Certitude.Tls.Targets;
using Cronos;

namespace Certitude.Features.Discovery;

/// <summary>The checks every scan's input goes through, whoever submits it: syntax, limits, allowed ranges, schedule, zone.</summary>
internal static class ScanTargetRules
{
    /// <summary>Parses and checks targets; every syntax error is reported at once, then anything outside the allowed ranges.</summary>
    public static ScanTargets Check(IReadOnlyList<string>? targets, string? ports, IReadOnlyList<string>? exclusions, DiscoverySettings settings)
    {
        if (targets is null || targets.Count == 0)
        {
            throw new DomainValidationException("targets", "Give at least one target: an address, CIDR range, address range or host name.");
        }

        if (targets.Count + (exclusions?.Count ?? 0) > DiscoveryLimits.MaxTargetItems)
        {
            throw new DomainValidationException("targets", $"At most {DiscoveryLimits.MaxTargetItems} targets and exclusions.");
        }

        if (ports?.Length > DiscoveryLimits.MaxPortsLength)
        {
            throw new DomainValidationException("ports", $"At most {DiscoveryLimits.MaxPortsLength} characters.");
        }

        ScanTargets parsed;
        try
        {
            parsed = TargetParser.Parse(targets, string.IsNullOrWhiteSpace(ports) ? null : ports, exclusions);
        }
        catch (TargetSyntaxException e)
        {
            throw new DomainValidationException("targets", e.Message);
        }

        var outside = DiscoverySettingsService.OutsideAllowed(parsed, settings.AllowedRanges);
        return outside.Count == 0
            ? parsed
            : throw new ForbiddenException(
                $"Outside the ranges allowed for discovery ({string.Join(", ", settings.AllowedRanges)}): {string.Join(", ", outside.Take(10))}. An organization administrator sets the allowed ranges.");
    }

    public static CronExpression ParseSchedule(string schedule)
    {
        try
        {
            return CronExpression.Parse(schedule.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new DomainValidationException("schedule", $"'{schedule}' is not a five-field cron expression (minute hour day-of-month month day-of-week): {e.Message}");
        }
    }

    public static DateTimeOffset? NextOccurrence(string schedule, DateTimeOffset after) =>
        ParseSchedule(schedule).GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>Zone names: letters, digits, '.', '_' and '-', lower-cased; empty means the server itself.</summary>
    public static string? NormalizeZone(string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone))
        {
            return null;
        }

        zone = zone.Trim().ToLowerInvariant();
        return zone.Length <= DiscoveryLimits.MaxNameLength && zone.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? zone
            : throw new DomainValidationException("zone", "A zone name is 1-100 letters, digits, '.', '_' or '-'.");
    }
}
