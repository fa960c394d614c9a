using System.Net;
using Certitude.Features.Organization;
using Certitude.Pki;

namespace Certitude.Features.Authority;

/// <summary>
/// Whether a division may have certificates for names: DNS names under a domain it (or a division above it) owns,
/// IP addresses in its ranges. "example.com" covers itself and every name below; "*.example.com" only the names below.
/// </summary>
internal static class NameOwnership
{
    public static IReadOnlyList<string> Violations(DivisionTree tree, long divisionId, IEnumerable<SubjectAlternativeName> names)
    {
        var path = tree.PathToRoot(divisionId).ToList();
        var domains = path.SelectMany(d => d.Domains).Distinct(StringComparer.Ordinal).ToList();
        var ranges = path.SelectMany(d => d.IpRanges).Select(r => IPNetwork.TryParse(r, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().ToList();
        var division = tree.PathName(divisionId);
        var violations = new List<string>();
        foreach (var name in names)
        {
            switch (name.Type)
            {
                case SubjectAlternativeNameType.Dns when !domains.Any(d => Covers(d, name.Value)):
                    violations.Add(domains.Count == 0
                        ? $"'{name.Value}': the division '{division}' owns no domains yet (an administrator adds them to the division)."
                        : $"'{name.Value}' is not in a domain the division '{division}' owns ({string.Join(", ", domains)}).");
                    break;
                case SubjectAlternativeNameType.IpAddress when !(IPAddress.TryParse(name.Value, out var address) && ranges.Any(r => r.Contains(address))):
                    violations.Add(ranges.Count == 0
                        ? $"'{name.Value}': the division '{division}' owns no IP ranges yet (an administrator adds them to the division)."
                        : $"'{name.Value}' is not in an IP range the division '{division}' owns ({string.Join(", ", ranges)}).");
                    break;
            }
        }

        return violations;
    }

    private static bool Covers(string domain, string name)
    {
        var host = name.ToLowerInvariant().TrimEnd('.');
        if (host.StartsWith("*.", StringComparison.Ordinal))
        {
            // A wildcard stands for names one label below its base: owning the base's domain is what counts.
            host = host[2..];
            return domain.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(domain[1..], StringComparison.Ordinal) || host == domain[2..]
                : host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);
        }

        return domain.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(domain[1..], StringComparison.Ordinal)
            : host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);
    }
}
