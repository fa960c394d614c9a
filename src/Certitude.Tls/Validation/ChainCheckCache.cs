using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Tls.Validation;

/// <summary>
/// <see cref="ChainCheck"/> once per distinct chain and host name within one scan: building a chain costs about a
/// millisecond, and a scan typically meets a few chains on thousands of endpoints. Every report is judged at the same
/// moment (the scan's), which is what a scan's findings mean anyway. Safe for concurrent use.
/// </summary>
public sealed class ChainCheckCache(DateTimeOffset now, TimeSpan expiringWindow, IReadOnlyCollection<X509Certificate2>? organizationAnchors = null)
{
    private readonly ConcurrentDictionary<string, ChainReport> _reports = new(StringComparer.Ordinal);

    /// <summary>The report of <paramref name="chain"/> (leaf first, DER) for <paramref name="hostName"/>.</summary>
    public ChainReport Evaluate(IReadOnlyList<byte[]> chain, string? hostName)
    {
        var key = string.Join(',', chain.Select(der => Convert.ToBase64String(SHA256.HashData(der)))) + "|" + hostName;
        return _reports.GetOrAdd(key, _ => ChainCheck.Evaluate(chain, hostName, now, expiringWindow, organizationAnchors));
    }
}
