using Certitude.Pki.Issuance;

namespace Certitude.Features.Authority;

/// <summary>A certificate profile as the API shows it: its rules, with the validity that applies today.</summary>
public sealed record ProfileDto(string Key, string Name, string Description, IReadOnlyList<string> AllowedKeys, int DefaultValidityDays,
    int MaximumValidityDaysToday, bool FollowsBaselineRequirements, IReadOnlyList<string> ExtendedKeyUsages, SanRules Names)
{
    public static ProfileDto From(CertificateProfile profile, DateTimeOffset now) => new(
        profile.Key, profile.Name, profile.Description,
        profile.AllowedKeys.Select(k => k.Curves is { Count: > 0 } curves ? $"{k.Algorithm} {string.Join("/", curves)}"
            : k.MinimumSize == k.MaximumSize || k.MaximumSize == 0 ? k.Algorithm : $"{k.Algorithm} {k.MinimumSize}-{k.MaximumSize}").ToList(),
        ProfilePolicy.ValidityDays(profile, null, now), ProfilePolicy.ValidityDays(profile, profile.MaximumValidityDays, now),
        profile.FollowsBaselineRequirements, profile.ExtendedKeyUsages, profile.SanRules);
}
