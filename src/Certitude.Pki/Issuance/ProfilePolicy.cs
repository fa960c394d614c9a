using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Certitude.Pki.Issuance;

/// <summary>
/// Applies a <see cref="CertificateProfile"/> to a request: what it may not have, and how long the certificate lives.
/// Pure functions of their inputs and "now", so the same request gives the same answer in the API, the UI and a test.
/// </summary>
public static class ProfilePolicy
{
    // RFC 1035 §2.3.4 limits a name to 255 octets on the wire, which is 253 characters of text without the final dot.
    private const int MaximumDnsNameLength = 253;
    private const int MaximumLabelLength = 63;

    /// <summary>
    /// Every way a request breaks <paramref name="profile"/>, each as a sentence naming the offending value
    /// ("RSA keys of 1024 bits are below the profile's minimum of 2048."); empty when the request may be issued. Checks
    /// the key against <see cref="CertificateProfile.AllowedKeys"/>, the SHA-1 signature, each name's type and syntax
    /// (DNS names per RFC 1035 §2.3.1 and RFC 1123 §2.1: letters, digits and hyphens, labels of 1–63 characters not
    /// starting or ending with a hyphen, 253 characters in all, no trailing dot, "*" only as the whole left-most label;
    /// IPv4 as four decimal octets, IPv6 per RFC 4291 §2.2), internal names for public profiles, the number of names,
    /// and the requested validity.
    /// </summary>
    /// <remarks>Duplicate names are not violations: de-duplicating them is the caller's business.</remarks>
    /// <param name="profile">The profile to issue under.</param>
    /// <param name="key">The subject public key.</param>
    /// <param name="names">The subject alternative names the certificate would carry; at least one is needed.</param>
    /// <param name="requestedValidityDays">The validity asked for; null for the profile's default, which is always
    /// acceptable (it is capped, see <see cref="ValidityDays"/>).</param>
    /// <param name="now">The issuance time, which decides the CA/Browser Forum limit in force.</param>
    /// <param name="signedWithSha1">Whether the CSR was signed with SHA-1 (<see cref="SigningRequest.SignedWithSha1"/>).</param>
    /// <returns>The violations in the order checked: key, signature, names, validity.</returns>
    public static IReadOnlyList<string> Check(
        CertificateProfile profile,
        PublicKeyDescription key,
        IReadOnlyList<SubjectAlternativeName> names,
        int? requestedValidityDays,
        DateTimeOffset now,
        bool signedWithSha1 = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(names);

        var violations = new List<string>();
        CheckKey(profile, key, violations);
        if (signedWithSha1 && profile.RefuseSha1Signatures)
        {
            violations.Add($"The CSR is signed with SHA-1, which the {profile.Key} profile refuses; sign it with SHA-256 or stronger.");
        }

        CheckNames(profile, names, violations);
        CheckValidity(profile, requestedValidityDays, now, violations);
        return violations;
    }

    /// <summary>
    /// The validity in days to issue with: <paramref name="requestedValidityDays"/>, or the profile's default when null,
    /// capped by <see cref="CertificateProfile.MaximumValidityDays"/> and, when the profile
    /// <see cref="CertificateProfile.FollowsBaselineRequirements"/>, by <see cref="BaselineRequirements.MaximumValidityDays"/>
    /// at <paramref name="now"/>. Capping never fails; <see cref="Check"/> is what tells the requester that less than
    /// asked will be given.
    /// </summary>
    /// <param name="profile">The profile to issue under.</param>
    /// <param name="requestedValidityDays">The validity asked for, at least 1; null for the default.</param>
    /// <param name="now">The issuance time.</param>
    /// <returns>The number of days, at least 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requestedValidityDays"/> is below 1.</exception>
    public static int ValidityDays(CertificateProfile profile, int? requestedValidityDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (requestedValidityDays is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1, nameof(requestedValidityDays));
        }

        return Math.Max(1, Math.Min(requestedValidityDays ?? profile.DefaultValidityDays, Limit(profile, now).Days));
    }

    private static (int Days, bool FromSchedule) Limit(CertificateProfile profile, DateTimeOffset now)
    {
        if (profile.FollowsBaselineRequirements)
        {
            var scheduled = BaselineRequirements.MaximumValidityDays(now);
            if (scheduled < profile.MaximumValidityDays)
            {
                return (scheduled, true);
            }
        }

        return (profile.MaximumValidityDays, false);
    }

    private static void CheckKey(CertificateProfile profile, PublicKeyDescription key, List<string> violations)
    {
        var rules = profile.AllowedKeys.Where(r => string.Equals(r.Algorithm, key.Algorithm, StringComparison.Ordinal)).ToList();
        if (rules.Count == 0)
        {
            violations.Add($"{key.Algorithm} keys are not allowed by the {profile.Key} profile; it accepts {DescribeAllowed(profile.AllowedKeys)}.");
            return;
        }

        if (rules.Any(r => Fits(r, key)))
        {
            if (profile.FollowsBaselineRequirements && key.Algorithm == "RSA" && key.Size % 8 != 0)
            {
                // BR §6.1.5: "the modulus size, in bits, is evenly divisible by 8".
                violations.Add($"RSA keys of {key.Size} bits are not allowed by the {profile.Key} profile: the modulus must be a multiple of 8 bits.");
            }

            return;
        }

        // No rule fits: report against the first rule for this algorithm, which is the profile's main one.
        var rule = rules[0];
        if (rule.Curves is { } curves && !curves.Contains(key.Curve ?? string.Empty, StringComparer.Ordinal))
        {
            violations.Add($"{key.Algorithm} keys on curve {key.Curve ?? "(explicit parameters)"} are not allowed by the {profile.Key} profile; it accepts {string.Join(", ", curves)}.");
        }
        else if (key.Size < rule.MinimumSize)
        {
            violations.Add($"{key.Algorithm} keys of {key.Size} bits are below the profile's minimum of {rule.MinimumSize}.");
        }
        else
        {
            violations.Add($"{key.Algorithm} keys of {key.Size} bits are above the profile's maximum of {rule.MaximumSize}.");
        }
    }

    private static bool Fits(KeyRule rule, PublicKeyDescription key)
    {
        return key.Size >= rule.MinimumSize && key.Size <= rule.MaximumSize
            && (rule.Curves is null || rule.Curves.Contains(key.Curve ?? string.Empty, StringComparer.Ordinal));
    }

    private static string DescribeAllowed(IReadOnlyList<KeyRule> rules)
    {
        return string.Join(", ", rules.Select(r => r.Curves is { Count: > 0 } curves
            ? $"{r.Algorithm} ({string.Join(", ", curves)})"
            : r.MinimumSize == r.MaximumSize ? r.Algorithm : $"{r.Algorithm} ({r.MinimumSize}–{r.MaximumSize} bits)"));
    }

    private static void CheckNames(CertificateProfile profile, IReadOnlyList<SubjectAlternativeName> names, List<string> violations)
    {
        var rules = profile.SanRules;
        if (names.Count == 0)
        {
            violations.Add($"The request names no subject alternative name; the {profile.Key} profile needs at least one.");
            return;
        }

        if (names.Count > rules.MaximumNames)
        {
            violations.Add($"The request names {names.Count} subject alternative names; the {profile.Key} profile allows at most {rules.MaximumNames}.");
        }

        foreach (var name in names)
        {
            if (CheckName(profile, name) is { } problem)
            {
                violations.Add(problem);
            }
        }
    }

    private static string? CheckName(CertificateProfile profile, SubjectAlternativeName name)
    {
        var rules = profile.SanRules;
        switch (name.Type)
        {
            case SubjectAlternativeNameType.Dns:
                return rules.AllowDns ? CheckDnsName(profile, name.Value) : NotAllowed(profile, "DNS names", name.Value);
            case SubjectAlternativeNameType.IpAddress:
                if (!rules.AllowIpAddresses)
                {
                    return NotAllowed(profile, "IP addresses", name.Value);
                }

                return IsIpAddress(name.Value) ? null : $"'{name.Value}' is not a valid IPv4 or IPv6 address.";
            case SubjectAlternativeNameType.Email:
                if (!rules.AllowEmail)
                {
                    return NotAllowed(profile, "email addresses", name.Value);
                }

                return IsEmailAddress(name.Value) ? null : $"'{name.Value}' is not a valid email address.";
            case SubjectAlternativeNameType.Uri:
                if (!rules.AllowUris)
                {
                    return NotAllowed(profile, "URIs", name.Value);
                }

                // RFC 5280 §4.2.1.6: the name MUST be an absolute URI with a scheme.
                return Uri.TryCreate(name.Value, UriKind.Absolute, out _) && !name.Value.Any(char.IsWhiteSpace)
                    ? null
                    : $"'{name.Value}' is not an absolute URI.";
            case SubjectAlternativeNameType.DirectoryName:
                return NotAllowed(profile, "directory names", name.Value);
            default:
                return NotAllowed(profile, "names of this kind", name.Value);
        }
    }

    private static string NotAllowed(CertificateProfile profile, string kind, string value)
    {
        return $"'{value}': {kind} are not allowed by the {profile.Key} profile.";
    }

    private static string? CheckDnsName(CertificateProfile profile, string name)
    {
        var rules = profile.SanRules;
        if (name.Length == 0)
        {
            return "A DNS name is empty.";
        }

        if (IsIpv4(name) || IsIpv6(name))
        {
            return $"'{name}' is an IP address, not a DNS name; request it as an IP address name.";
        }

        if (name.EndsWith('.'))
        {
            // BR §7.1.2.7.12 and RFC 5280 §4.2.1.6 both write names without the root label.
            return $"'{name}' ends with a dot; write the name without it.";
        }

        if (name.Length > MaximumDnsNameLength)
        {
            return $"'{Shorten(name)}' is {name.Length} characters long; DNS names have at most {MaximumDnsNameLength}.";
        }

        var labels = name.Split('.');
        var wildcard = labels[0] == "*";
        if (wildcard)
        {
            if (!rules.AllowWildcards)
            {
                return NotAllowed(profile, "wildcard names", name);
            }

            if (labels.Length < 2)
            {
                return $"'{name}' is not a valid wildcard name: it needs a domain after \"*.\".";
            }
        }

        for (var i = wildcard ? 1 : 0; i < labels.Length; i++)
        {
            if (labels[i].Contains('*', StringComparison.Ordinal))
            {
                return $"'{name}' has a wildcard in the wrong place: \"*\" is allowed only as the whole left-most label, as in \"*.example.com\".";
            }

            if (LabelProblem(labels[i]) is { } problem)
            {
                return $"'{name}' is not a valid DNS name: {problem}.";
            }
        }

        if (!rules.PublicNamesOnly)
        {
            return null;
        }

        if (wildcard && labels.Length == 2)
        {
            // BR §3.2.2.6: a wildcard directly under a top-level domain would cover a whole registry.
            return $"'{name}' puts a wildcard directly under a top-level domain; the {profile.Key} profile does not allow it.";
        }

        return BaselineRequirements.IsInternalName(name)
            ? $"'{name}' is an internal name; the {profile.Key} profile allows only publicly resolvable names."
            : null;
    }

    private static string? LabelProblem(string label)
    {
        if (label.Length == 0)
        {
            return "it has an empty label (two dots in a row, or a leading dot)";
        }

        if (label.Length > MaximumLabelLength)
        {
            return $"the label '{Shorten(label)}' is {label.Length} characters long, more than {MaximumLabelLength}";
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return char.IsAscii(c)
                    ? $"'{c}' is not allowed; use letters, digits and hyphens"
                    : "it has characters outside ASCII; write internationalized names in their xn-- (Punycode) form";
            }
        }

        return label[0] == '-' || label[^1] == '-' ? $"the label '{label}' starts or ends with a hyphen" : null;
    }

    private static string Shorten(string value)
    {
        return value.Length <= 40 ? value : value[..37] + "...";
    }

    private static bool IsIpAddress(string value)
    {
        return IsIpv4(value) || IsIpv6(value);
    }

    private static bool IsIpv4(string value)
    {
        // IPAddress.TryParse accepts "1", "1.2" and octal or hex parts (inet_aton forms); only dotted quads are addresses here.
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsIpv6(string value)
    {
        // A zone ("%eth0") belongs to one host's interfaces and cannot be certified.
        return value.Contains(':', StringComparison.Ordinal) && !value.Contains('%', StringComparison.Ordinal)
            && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsEmailAddress(string value)
    {
        // RFC 5280 §4.2.1.6 takes rfc822Name as an RFC 5321 Mailbox: local-part "@" domain.
        var at = value.LastIndexOf('@');
        return at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace)
            && LabelsValid(value[(at + 1)..]);
    }

    private static bool LabelsValid(string domain)
    {
        return domain.Length <= MaximumDnsNameLength && domain.Split('.').All(l => LabelProblem(l) is null);
    }

    private static void CheckValidity(CertificateProfile profile, int? requestedValidityDays, DateTimeOffset now, List<string> violations)
    {
        if (requestedValidityDays is not { } requested)
        {
            return;
        }

        if (requested < 1)
        {
            violations.Add($"The validity must be at least 1 day; {requested} were requested.");
            return;
        }

        var (limit, fromSchedule) = Limit(profile, now);
        if (requested <= limit)
        {
            return;
        }

        violations.Add(fromSchedule
            ? $"The {profile.Key} profile allows at most {limit} days from {now.UtcDateTime:yyyy-MM-dd} (CA/Browser Forum schedule); {requested} were requested."
            : $"The {profile.Key} profile allows at most {limit} days; {requested} were requested.");
    }
}
