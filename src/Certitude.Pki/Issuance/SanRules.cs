namespace Certitude.Pki.Issuance;

/// <summary>Which subject alternative names (RFC 5280 §4.2.1.6) a <see cref="CertificateProfile"/> puts in certificates.</summary>
/// <param name="AllowDns">dNSName entries (RFC 1035 host names).</param>
/// <param name="AllowWildcards">dNSName entries whose whole left-most label is "*" (RFC 6125 §6.4.3, Baseline
/// Requirements §7.1.2.7.12 "Wildcard Domain Name"); a "*" anywhere else is never allowed.</param>
/// <param name="AllowIpAddresses">iPAddress entries (IPv4 or IPv6).</param>
/// <param name="AllowEmail">rfc822Name entries (S/MIME and client certificates).</param>
/// <param name="PublicNamesOnly">Only names that resolve in the public DNS: no single-label names and none under a
/// reserved or private-use suffix (<see cref="BaselineRequirements.IsInternalName"/>), as Baseline Requirements §7.1.2.7.12
/// demands of publicly-trusted certificates.</param>
/// <param name="MaximumNames">Most names in one certificate.</param>
public sealed record SanRules(bool AllowDns, bool AllowWildcards, bool AllowIpAddresses, bool AllowEmail, bool PublicNamesOnly, int MaximumNames)
{
    /// <summary>uniformResourceIdentifier entries (absolute URIs, e.g. SPIFFE IDs in client certificates).</summary>
    public bool AllowUris { get; init; }
}
