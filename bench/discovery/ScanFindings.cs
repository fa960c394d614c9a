namespace Certitude.Bench.Discovery;

/// <summary>
/// What one scanner reported: how many endpoints accepted a TCP connection, the leaf certificate's SHA-256 per
/// "address:port" (lowercase hex), the endpoints that accepted but gave no certificate with the reason given, and how
/// many endpoints negotiated each protocol and cipher suite (when the scanner says).
/// </summary>
internal sealed record ScanFindings(int OpenEndpoints, IReadOnlyDictionary<string, string> Certificates, IReadOnlyList<string> Failures,
    IReadOnlyDictionary<string, int> Negotiated)
{
    /// <summary>A run stopped at its time limit: nothing found.</summary>
    public static ScanFindings None { get; } = new(0, new Dictionary<string, string>(), [], new Dictionary<string, int>());

    /// <summary>Where two sets of findings differ, one line per endpoint (empty when they agree).</summary>
    public static IReadOnlyList<string> Differences(string leftName, IReadOnlyDictionary<string, string> left, string rightName,
        IReadOnlyDictionary<string, string> right)
    {
        var differences = new List<string>();
        foreach (var (endpoint, sha256) in left.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!right.TryGetValue(endpoint, out var other))
            {
                differences.Add($"{endpoint}: {leftName} {Short(sha256)}, {rightName} nothing");
            }
            else if (!string.Equals(sha256, other, StringComparison.Ordinal))
            {
                differences.Add($"{endpoint}: {leftName} {Short(sha256)}, {rightName} {Short(other)}");
            }
        }

        differences.AddRange(right.Keys.Where(k => !left.ContainsKey(k)).Order(StringComparer.Ordinal)
            .Select(k => $"{k}: {leftName} nothing, {rightName} {Short(right[k])}"));
        return differences;
    }

    private static string Short(string sha256) => sha256.Length > 16 ? sha256[..16] + "..." : sha256;
}
