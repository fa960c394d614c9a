namespace Certitude.Pki.Issuance;

/// <summary>
/// Rules of the CA/Browser Forum's Baseline Requirements for the Issuance and Management of Publicly-Trusted TLS Server
/// Certificates ("BR") that issuance policy needs as data.
/// </summary>
public static class BaselineRequirements
{
    // Ballot SC-081 ("Introduce Schedule of Reducing Validity and Data Reuse Periods"), BR §6.3.2: the longest validity of a
    // subscriber certificate by issuance date. Each row applies from its date (00:00 UTC) until the next row's.
    private static readonly (DateTimeOffset From, int Days)[] ValiditySchedule =
    [
        (DateTimeOffset.MinValue, 398),
        (new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero), 200),
        (new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero), 100),
        (new DateTimeOffset(2029, 3, 15, 0, 0, 0, TimeSpan.Zero), 47),
    ];

    // Top-level names that will never resolve in the public DNS: special-use names (RFC 6761 §6.2–6.5 test, localhost,
    // invalid, example; RFC 6762 local; RFC 7686 onion; RFC 9476 alt), ".internal", which ICANN reserved for private use
    // in 2024, the name-collision strings ICANN will not delegate (corp, home, mail: ICANN Board, 4 February 2018),
    // suffixes in common private use that no registry operates (lan, intranet, private, localdomain), and arpa, which
    // holds DNS infrastructure rather than hosts (RFC 3172) and the home-network domain home.arpa (RFC 8375).
    private static readonly HashSet<string> ReservedTopLevelNames = new(StringComparer.Ordinal)
    {
        "test", "localhost", "invalid", "example", "local", "onion", "alt", "internal", "corp", "home", "mail", "lan",
        "intranet", "private", "localdomain", "arpa",
    };

    /// <summary>
    /// The longest validity, in days, a publicly-trusted TLS server certificate issued at <paramref name="issuedAt"/> may
    /// have, per the schedule of CA/Browser Forum Ballot SC-081 (BR §6.3.2): 398 days before 2026-03-15, 200 days from
    /// 2026-03-15, 100 days from 2027-03-15 and 47 days from 2029-03-15. Dates are taken at 00:00 UTC.
    /// </summary>
    /// <remarks>BR §6.3.2 counts a validity period from notBefore to notAfter inclusive, with a day being 86,400 seconds and
    /// any fraction counting as a whole day; a certificate of N days therefore has notAfter = notBefore + N days − 1
    /// second.</remarks>
    /// <param name="issuedAt">When the certificate is issued (its notBefore).</param>
    /// <returns>The maximum validity period in days.</returns>
    public static int MaximumValidityDays(DateTimeOffset issuedAt)
    {
        var days = ValiditySchedule[0].Days;
        foreach (var (from, limit) in ValiditySchedule)
        {
            if (issuedAt >= from)
            {
                days = limit;
            }
        }

        return days;
    }

    /// <summary>
    /// Whether <paramref name="dnsName"/> is an Internal Name in the sense of BR §1.6.1 — one that cannot be verified as
    /// globally unique in the public DNS — as far as that can be told without the live root zone: a single-label name
    /// ("intranet"), a name under a top-level name reserved for special or private use ("printer.local", "db.internal",
    /// "host.home.arpa", "x.test", "x.example", "x.invalid", "x.localhost", "x.lan", "x.corp", "x.onion"), or a name whose
    /// last label is all digits (no top-level domain is numeric, RFC 3696 §2). A leading "*." and a trailing "." are
    /// ignored; case does not matter. BR §7.1.2.7.12 forbids Internal Names in publicly-trusted certificates.
    /// </summary>
    /// <param name="dnsName">A DNS name, possibly a wildcard name.</param>
    /// <returns>True for an internal name.</returns>
    public static bool IsInternalName(string dnsName)
    {
        ArgumentNullException.ThrowIfNull(dnsName);
        var name = dnsName.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        var lastDot = name.LastIndexOf('.');
        if (lastDot < 0)
        {
            return true;
        }

        var topLevel = name[(lastDot + 1)..];
        return topLevel.Length == 0 || topLevel.All(char.IsAsciiDigit) || ReservedTopLevelNames.Contains(topLevel);
    }
}
