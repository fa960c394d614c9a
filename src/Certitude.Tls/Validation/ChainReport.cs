namespace Certitude.Tls.Validation;

/// <summary>How a presented certificate chain looks to a certificate manager (see <see cref="ChainCheck.Evaluate"/>).</summary>
/// <param name="Trust">Which anchors the chain reaches. <see cref="ChainTrust.Untrusted"/> when the leaf is malformed.</param>
/// <param name="HostnameMatches">Whether the leaf is valid for the host name checked; null when no name was given or the leaf is malformed.</param>
/// <param name="Expired">The leaf's notAfter is before the evaluation time.</param>
/// <param name="Expiring">The leaf is within its validity period and its notAfter falls within the expiring window.</param>
/// <param name="NotYetValid">The leaf's notBefore is after the evaluation time.</param>
/// <param name="SelfSigned">The leaf's subject equals its issuer and its signature verifies with its own public key.</param>
/// <param name="IncompleteChain">
/// The presented certificates do not link the leaf to a trust anchor on their own (see <see cref="ChainCheck.Evaluate"/>
/// for the exact rule).
/// </param>
/// <param name="NotAfter">The leaf's notAfter; null when the leaf is malformed.</param>
/// <param name="Subject">The leaf's subject distinguished name ("CN=www.example.com, O=Example"); null when malformed.</param>
/// <param name="Issuer">The leaf's issuer distinguished name; null when malformed.</param>
/// <param name="Problems">
/// Stable lower-case codes, in this order, for each finding that holds: "malformed-certificate", "expired",
/// "not-yet-valid", "expiring", "self-signed", "untrusted", "incomplete-chain", "hostname-mismatch".
/// </param>
public sealed record ChainReport(
    ChainTrust Trust,
    bool? HostnameMatches,
    bool Expired,
    bool Expiring,
    bool NotYetValid,
    bool SelfSigned,
    bool IncompleteChain,
    DateTimeOffset? NotAfter,
    string? Subject,
    string? Issuer,
    IReadOnlyList<string> Problems);
