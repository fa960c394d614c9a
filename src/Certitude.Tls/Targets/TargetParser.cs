using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Certitude.Tls.StartTls;

namespace Certitude.Tls.Targets;

/// <summary>
/// Reads targets as people write them — "10.0.0.1", "10.0.0.0/24", "10.0.0.5-10.0.0.80", "2001:db8::/120",
/// "mail.example.com", "example.com:8443", "[2001:db8::1]:443" — with a port list ("443,8443,8000-8010,2525/smtp")
/// and exclusions. Every problem is reported at once, before anything is scanned.
/// </summary>
public static class TargetParser
{
    /// <summary>
    /// The default TLS ports: HTTPS, alternative HTTPS, LDAPS, IMAPS, POP3S, SMTPS, and the STARTTLS services (SMTP,
    /// submission, POP3, IMAP, FTP, LDAP, PostgreSQL, XMPP, MySQL).
    /// </summary>
    public static IReadOnlyList<int> DefaultPorts { get; } = [443, 8443, 636, 993, 995, 465, 25, 587, 110, 143, 21, 389, 5432, 5222, 3306];

    /// <summary>Parses and checks targets, ports (null: <see cref="DefaultPorts"/>) and exclusions.</summary>
    /// <exception cref="TargetSyntaxException">Any item is invalid, or the scan would exceed <paramref name="limits"/>.</exception>
    public static ScanTargets Parse(IEnumerable<string> targets, string? ports = null, IEnumerable<string>? exclusions = null, TargetLimits? limits = null)
    {
        limits ??= TargetLimits.Default;
        var errors = new List<string>();
        var portList = ports is null ? [.. DefaultPorts.Select(p => new PortSpec(p, StartTlsPorts.ForWellKnownPort(p)))] : ParsePorts(ports, errors);

        var excluded = new List<AddressRange>();
        foreach (var item in Items(exclusions ?? [], limits, errors))
        {
            var range = TryParseRange(item);
            if (range is null)
            {
                errors.Add($"Exclusion '{item}' is not an address, CIDR range or address range.");
            }
            else
            {
                excluded.Add(range);
            }
        }

        var ranges = new List<AddressRange>();
        var withPort = new List<AddressTarget>();
        var hosts = new List<HostTarget>();
        foreach (var item in Items(targets, limits, errors))
        {
            ParseTarget(item, ranges, withPort, hosts, errors);
        }

        if (ranges.Count + withPort.Count + hosts.Count == 0 && errors.Count == 0)
        {
            errors.Add("No targets: give at least one address, range or host name.");
        }

        if (hosts.Count > limits.MaxHostNames)
        {
            errors.Add($"{hosts.Count} host names exceed the limit of {limits.MaxHostNames} per scan.");
        }

        withPort.RemoveAll(t => excluded.Any(e => e.Covers(t.Range)));
        var result = new ScanTargets(RangeSet.Normalize(ranges, excluded), withPort, [.. hosts.DistinctBy(h => (h.Name, h.Port))], portList, excluded);
        if (errors.Count == 0 && result.AddressEndpointCount > limits.MaxEndpoints)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"The targets hold {result.AddressEndpointCount:N0} address-and-port endpoints, more than the limit of {limits.MaxEndpoints:N0}: narrow the ranges or the ports."));
        }

        return errors.Count == 0 ? result : throw new TargetSyntaxException(errors);
    }

    /// <summary>Parses a port list: "443", "8000-8010", "2525/smtp" (a port with its STARTTLS protocol), comma-separated.</summary>
    /// <exception cref="TargetSyntaxException">Any item is invalid.</exception>
    public static IReadOnlyList<PortSpec> ParsePorts(string ports)
    {
        var errors = new List<string>();
        var result = ParsePorts(ports, errors);
        return errors.Count == 0 ? result : throw new TargetSyntaxException(errors);
    }

    /// <summary>An address, CIDR block or "first-last" range; null when <paramref name="text"/> is none of them.</summary>
    public static AddressRange? TryParseRange(string text)
    {
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            return IPAddress.TryParse(text[..slash], out var network)
                && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                && prefix <= (AddressRange.Canonical(network).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                ? AddressRange.Cidr(network, prefix)
                : null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && IPAddress.TryParse(text[..dash], out var first) && IPAddress.TryParse(text[(dash + 1)..], out var last))
        {
            first = AddressRange.Canonical(first);
            last = AddressRange.Canonical(last);
            return first.AddressFamily == last.AddressFamily && AddressRange.ToNumber(first) <= AddressRange.ToNumber(last)
                ? AddressRange.Between(first, last)
                : null;
        }

        return IsAddressLiteral(text, out var address) ? AddressRange.Of(address) : null;
    }

    private static IEnumerable<string> Items(IEnumerable<string> source, TargetLimits limits, List<string> errors)
    {
        var count = 0;
        foreach (var raw in source)
        {
            foreach (var item in raw.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (++count > limits.MaxItems)
                {
                    errors.Add($"More than {limits.MaxItems} items: split the scan.");
                    yield break;
                }

                yield return item;
            }
        }
    }

    private static void ParseTarget(string item, List<AddressRange> ranges, List<AddressTarget> withPort, List<HostTarget> hosts, List<string> errors)
    {
        var slash = item.Contains('/', StringComparison.Ordinal);
        var dash = item.IndexOf('-', StringComparison.Ordinal);
        var bothEndsAddresses = dash > 0 && IPAddress.TryParse(item[..dash], out _) && IPAddress.TryParse(item[(dash + 1)..], out _);
        if (slash || bothEndsAddresses)
        {
            var range = TryParseRange(item);
            if (range is null)
            {
                errors.Add(slash
                    ? $"'{item}' is not a valid CIDR range (an address, '/', and a prefix length up to 32 for IPv4 or 128 for IPv6)."
                    : $"'{item}' is not a valid address range (two addresses of the same family, the lower first).");
            }
            else
            {
                ranges.Add(range);
            }

            return;
        }

        if (IsAddressLiteral(item, out var address))
        {
            ranges.Add(AddressRange.Of(address));
            return;
        }

        var (host, portText) = SplitHostPort(item);
        PortSpec? port = null;
        if (portText is not null)
        {
            if (!TryParsePort(portText, out var number))
            {
                errors.Add($"'{item}': '{portText}' is not a port (1-65535).");
                return;
            }

            port = new PortSpec(number, StartTlsPorts.ForWellKnownPort(number));
        }

        if (IsAddressLiteral(host, out address))
        {
            withPort.Add(new AddressTarget(AddressRange.Of(address), port));
        }
        else if (LooksLikeHostName(host))
        {
            hosts.Add(new HostTarget(host.TrimEnd('.').ToLowerInvariant(), port));
        }
        else
        {
            errors.Add($"'{item}' is not an address, CIDR range, address range or host name.");
        }
    }

    private static (string Host, string? Port) SplitHostPort(string item)
    {
        if (item.StartsWith('['))
        {
            var close = item.IndexOf(']', StringComparison.Ordinal);
            return close > 0 && close + 1 < item.Length && item[close + 1] == ':'
                ? (item[1..close], item[(close + 2)..])
                : (item, null);
        }

        var colon = item.LastIndexOf(':');
        return colon > 0 && item.IndexOf(':', StringComparison.Ordinal) == colon ? (item[..colon], item[(colon + 1)..]) : (item, null);
    }

    private static bool IsAddressLiteral(string text, out IPAddress address)
    {
        // IPAddress.TryParse accepts "10" or "10.1" as IPv4 shorthands, IPv6 with a zone, and "[::1]:443" (dropping
        // the port); people writing targets mean none of these, so only dotted quads and bare colon forms count.
        address = IPAddress.None;
        if (text.AsSpan().IndexOfAny("%[]") >= 0 || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = AddressRange.Canonical(parsed);
        return true;
    }

    /// <summary>RFC 1123 host names: labels of letters, digits and hyphens (1–63 characters, no hyphen at either end), 253 characters in all.</summary>
    internal static bool LooksLikeHostName(string text)
    {
        var name = text.EndsWith('.') ? text[..^1] : text;
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        // A name made only of digits and dots is a mistyped address, not a host.
        return !name.All(c => char.IsAsciiDigit(c) || c == '.');
    }

    private static List<PortSpec> ParsePorts(string ports, List<string> errors)
    {
        var result = new Dictionary<int, PortSpec>();
        foreach (var item in ports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var numbers = slash < 0 ? item : item[..slash];
            StartTlsProtocol? protocol = null;
            if (slash >= 0)
            {
                if (!StartTlsPorts.TryParse(item[(slash + 1)..], out var parsed))
                {
                    errors.Add($"Port '{item}': unknown protocol '{item[(slash + 1)..]}' (smtp, submission, imap, pop3, ftp, ldap, xmpp, postgres, mysql or tls).");
                    continue;
                }

                protocol = parsed;
            }

            var dash = numbers.IndexOf('-', StringComparison.Ordinal);
            int low, high;
            if (dash < 0 ? !TryParsePort(numbers, out low) : !TryParsePort(numbers[..dash], out low))
            {
                errors.Add($"Port '{item}' is not a port (1-65535) or a range of ports ('8000-8010').");
                continue;
            }

            high = low;
            if (dash >= 0 && (!TryParsePort(numbers[(dash + 1)..], out high) || high < low))
            {
                errors.Add($"Port range '{item}' must be two ports (1-65535), the lower first.");
                continue;
            }

            for (var port = low; port <= high; port++)
            {
                result[port] = new PortSpec(port, protocol ?? StartTlsPorts.ForWellKnownPort(port));
            }
        }

        if (result.Count == 0 && errors.Count == 0)
        {
            errors.Add("The port list is empty.");
        }

        return [.. result.Values];
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
