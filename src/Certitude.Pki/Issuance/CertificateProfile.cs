using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>
/// An issuance policy: which keys and names a request may carry, how long the certificate may live, and the key usages,
/// extended key usages and policies every certificate issued under it gets. <see cref="CertificateProfiles"/> holds the
/// built-in ones; <see cref="ProfilePolicy"/> applies them.
/// </summary>
public sealed record CertificateProfile
{
    /// <summary>Stable identifier stored with requests and certificates ("tls-server"); never renamed.</summary>
    public required string Key { get; init; }

    /// <summary>Short name shown to people ("TLS server").</summary>
    public required string Name { get; init; }

    /// <summary>One or two sentences on what the profile is for.</summary>
    public required string Description { get; init; }

    /// <summary>The keys accepted; a key must satisfy at least one rule.</summary>
    public required IReadOnlyList<KeyRule> AllowedKeys { get; init; }

    /// <summary>Validity in days when the request names none (still capped by <see cref="MaximumValidityDays"/> and, when
    /// <see cref="FollowsBaselineRequirements"/>, by the schedule).</summary>
    public required int DefaultValidityDays { get; init; }

    /// <summary>Longest validity in days the profile ever grants.</summary>
    public required int MaximumValidityDays { get; init; }

    /// <summary>
    /// Whether the profile issues publicly-trusted TLS server certificates under the CA/Browser Forum Baseline
    /// Requirements: validity is then also capped by the schedule in force on the issuance day
    /// (<see cref="BaselineRequirements.MaximumValidityDays"/>, BR §6.3.2) and RSA moduli must be a multiple of 8 bits
    /// (BR §6.1.5).
    /// </summary>
    public required bool FollowsBaselineRequirements { get; init; }

    /// <summary>Key usage (RFC 5280 §4.2.1.3) for certificates with RSA keys; see <see cref="KeyUsageFor"/> for other
    /// keys.</summary>
    public required X509KeyUsageFlags KeyUsage { get; init; }

    /// <summary>Extended key usage purposes (RFC 5280 §4.2.1.12) as OIDs, e.g. "1.3.6.1.5.5.7.3.1" (id-kp-serverAuth).</summary>
    public required IReadOnlyList<string> ExtendedKeyUsages { get; init; }

    /// <summary>The subject alternative names the profile accepts.</summary>
    public required SanRules SanRules { get; init; }

    /// <summary>Whether requests signed with SHA-1 are refused. The CSR signature only proves possession of the key, but
    /// a SHA-1 signature marks tooling too old for a public CA to trust.</summary>
    public required bool RefuseSha1Signatures { get; init; }

    /// <summary>Certificate policy OIDs (RFC 5280 §4.2.1.4) put in every certificate issued, e.g. "2.23.140.1.2.1",
    /// the CA/Browser Forum's domain-validated policy (BR §7.1.6.1); empty for none.</summary>
    public required IReadOnlyList<string> CertificatePolicies { get; init; }

    /// <summary>
    /// The key usage a certificate for <paramref name="key"/> gets. An RSA key gets <see cref="KeyUsage"/> as it is.
    /// Other keys lose the usages their algorithm cannot perform: keyEncipherment and dataEncipherment, which need RSA
    /// encryption (RFC 8813 §3 forbids them for EC keys, RFC 4055 §1.2 for RSA-PSS keys), and for EdDSA keyAgreement too
    /// (RFC 8410 §5). For the built-in TLS profiles that leaves digitalSignature alone.
    /// </summary>
    /// <param name="key">The subject public key.</param>
    /// <returns>The key usage bits to assert.</returns>
    public X509KeyUsageFlags KeyUsageFor(PublicKeyDescription key)
    {
        ArgumentNullException.ThrowIfNull(key);
        const X509KeyUsageFlags Encipherment = X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment;
        return key.Algorithm switch
        {
            "RSA" => KeyUsage,
            "EC" => KeyUsage & ~Encipherment,
            _ => KeyUsage & ~(Encipherment | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.EncipherOnly | X509KeyUsageFlags.DecipherOnly),
        };
    }
}
