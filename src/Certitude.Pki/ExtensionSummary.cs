namespace Certitude.Pki;

/// <summary>What <see cref="CertificateExtensionReader"/> found in a certificate's extensions.</summary>
internal sealed class ExtensionSummary
{
    public List<SubjectAlternativeName> SubjectAlternativeNames { get; } = [];

    public string? SubjectKeyIdentifier { get; set; }

    public string? AuthorityKeyIdentifier { get; set; }

    public bool IsCertificateAuthority { get; set; }

    public int? PathLengthConstraint { get; set; }

    public List<string> KeyUsages { get; } = [];

    public List<string> ExtendedKeyUsages { get; } = [];

    public List<string> CertificatePolicies { get; } = [];

    public List<string> CrlDistributionPoints { get; } = [];

    public List<string> OcspUrls { get; } = [];

    public List<string> CaIssuerUrls { get; } = [];

    public int EmbeddedSctCount { get; set; }

    public bool MustStaple { get; set; }

    public List<string> UnknownCriticalExtensions { get; } = [];
}
