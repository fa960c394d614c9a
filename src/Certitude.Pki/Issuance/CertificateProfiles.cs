using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>The built-in certificate profiles.</summary>
public static class CertificateProfiles
{
    // EC curves: P-256 and P-384 are the curves every TLS stack and every root program accepts (BR §6.1.5 also allows
    // P-521, which Chrome's root program and several clients do not).
    private static readonly string[] CommonCurves = ["P-256", "P-384"];

    private static readonly KeyRule[] PrivateKeys =
    [
        new("RSA", 2048, 4096, null),
        new("EC", 256, 384, CommonCurves),
        new("Ed25519", 255, 255, null),
    ];

    /// <summary>
    /// "tls-server": TLS server certificates from a private CA. RSA 2048–4096, EC P-256/P-384 or Ed25519 keys; 365 days
    /// by default, at most 825; digitalSignature and keyEncipherment for RSA (digitalSignature for other keys); EKU
    /// serverAuth; DNS names (wildcards too) and IP addresses, internal names included.
    /// </summary>
    public static CertificateProfile TlsServer { get; } = new()
    {
        Key = "tls-server",
        Name = "TLS server",
        Description = "Server certificates from the private CA, for internal services: internal names, wildcards and IP addresses allowed.",
        AllowedKeys = PrivateKeys,
        DefaultValidityDays = 365,
        MaximumValidityDays = 825,
        FollowsBaselineRequirements = false,
        KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        ExtendedKeyUsages = [Oids.ServerAuthentication],
        SanRules = new SanRules(AllowDns: true, AllowWildcards: true, AllowIpAddresses: true, AllowEmail: false, PublicNamesOnly: false, MaximumNames: 100),
        RefuseSha1Signatures = false,
        CertificatePolicies = [],
    };

    /// <summary>
    /// "tls-client": TLS client certificates (users, devices, services) from a private CA. Keys as
    /// <see cref="TlsServer"/>; 365 days by default, at most 825; digitalSignature; EKU clientAuth; DNS names, email
    /// addresses and URIs (e.g. SPIFFE IDs).
    /// </summary>
    public static CertificateProfile TlsClient { get; } = new()
    {
        Key = "tls-client",
        Name = "TLS client",
        Description = "Client certificates from the private CA, for people, devices and services that authenticate with TLS.",
        AllowedKeys = PrivateKeys,
        DefaultValidityDays = 365,
        MaximumValidityDays = 825,
        FollowsBaselineRequirements = false,
        // A TLS client only signs (the CertificateVerify message, RFC 8446 §4.4.3), even with an RSA key.
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Oids.ClientAuthentication],
        SanRules = new SanRules(AllowDns: true, AllowWildcards: false, AllowIpAddresses: false, AllowEmail: true, PublicNamesOnly: false, MaximumNames: 100)
        {
            AllowUris = true,
        },
        RefuseSha1Signatures = false,
        CertificatePolicies = [],
    };

    /// <summary>
    /// "public-tls-server": domain-validated TLS server certificates under the CA/Browser Forum Baseline Requirements.
    /// RSA 2048–4096 (a multiple of 8 bits) or EC P-256/P-384 keys, no EdDSA (BR §6.1.5); no SHA-1 CSR signatures;
    /// DNS names only, wildcards only as the whole left-most label, no IP addresses and no Internal Names
    /// (BR §7.1.2.7.12); at most 100 names; validity capped by the SC-081 schedule (BR §6.3.2); policy 2.23.140.1.2.1
    /// (BR §7.1.6.1).
    /// </summary>
    public static CertificateProfile PublicTlsServer { get; } = new()
    {
        Key = "public-tls-server",
        Name = "Public TLS server (Baseline Requirements)",
        Description = "Domain-validated server certificates following the CA/Browser Forum Baseline Requirements: public DNS names only, validity per the Forum's schedule.",
        AllowedKeys =
        [
            new("RSA", 2048, 4096, null),
            new("EC", 256, 384, CommonCurves),
        ],
        DefaultValidityDays = 398,
        MaximumValidityDays = 398,
        FollowsBaselineRequirements = true,
        KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
        ExtendedKeyUsages = [Oids.ServerAuthentication],
        SanRules = new SanRules(AllowDns: true, AllowWildcards: true, AllowIpAddresses: false, AllowEmail: false, PublicNamesOnly: true, MaximumNames: 100),
        RefuseSha1Signatures = true,
        CertificatePolicies = [Oids.PolicyDomainValidated],
    };

    /// <summary>Every built-in profile: <see cref="TlsServer"/>, <see cref="TlsClient"/>, <see cref="PublicTlsServer"/>.</summary>
    public static IReadOnlyList<CertificateProfile> All { get; } = [TlsServer, TlsClient, PublicTlsServer];

    /// <summary>The built-in profile with <see cref="CertificateProfile.Key"/> equal to <paramref name="key"/>
    /// (case-sensitive, as stored); null when there is none.</summary>
    /// <param name="key">A profile key such as "tls-server".</param>
    /// <returns>The profile, or null.</returns>
    public static CertificateProfile? Find(string key)
    {
        return All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));
    }
}
