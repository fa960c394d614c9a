namespace Certitude.Pki;

/// <summary>Object identifiers this library recognizes, named after the specification that assigns them.</summary>
internal static class Oids
{
    // Public key algorithms (RFC 3279 §2.3, RFC 4055 §1.2, RFC 5480 §2.1.1, RFC 8410 §3).
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Dsa = "1.2.840.10040.4.1";
    public const string X25519 = "1.3.101.110";
    public const string X448 = "1.3.101.111";
    public const string Ed25519 = "1.3.101.112";
    public const string Ed448 = "1.3.101.113";

    // Signature algorithms (RFC 3279 §2.2, RFC 4055 §5, RFC 5758 §3, RFC 8410 §3).
    public const string Md2WithRsa = "1.2.840.113549.1.1.2";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string Sha224WithRsa = "1.2.840.113549.1.1.14";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha224 = "1.2.840.10045.4.3.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";
    public const string DsaWithSha1 = "1.2.840.10040.4.3";
    public const string DsaWithSha224 = "2.16.840.1.101.3.4.3.1";
    public const string DsaWithSha256 = "2.16.840.1.101.3.4.3.2";

    // Hash and mask generation functions used in RSASSA-PSS parameters (RFC 4055 §2.1, §3.1).
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";
    public const string Sha224 = "2.16.840.1.101.3.4.2.4";
    public const string Mgf1 = "1.2.840.113549.1.1.8";

    // Certificate extensions (RFC 5280 §4.2).
    public const string SubjectDirectoryAttributes = "2.5.29.9";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string KeyUsage = "2.5.29.15";
    public const string PrivateKeyUsagePeriod = "2.5.29.16";
    public const string SubjectAltName = "2.5.29.17";
    public const string IssuerAltName = "2.5.29.18";
    public const string BasicConstraints = "2.5.29.19";
    public const string NameConstraints = "2.5.29.30";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string CertificatePolicies = "2.5.29.32";
    public const string PolicyMappings = "2.5.29.33";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string PolicyConstraints = "2.5.29.36";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string FreshestCrl = "2.5.29.46";
    public const string InhibitAnyPolicy = "2.5.29.54";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
    public const string SubjectInfoAccess = "1.3.6.1.5.5.7.1.11";
    public const string TlsFeature = "1.3.6.1.5.5.7.1.24";
    public const string SignedCertificateTimestampList = "1.3.6.1.4.1.11129.2.4.2";
    public const string PrecertificatePoison = "1.3.6.1.4.1.11129.2.4.3";

    // Access methods (RFC 5280 §4.2.2.1).
    public const string AccessOcsp = "1.3.6.1.5.5.7.48.1";
    public const string AccessCaIssuers = "1.3.6.1.5.5.7.48.2";

    // CA/Browser Forum reserved policy identifiers (Baseline Requirements §7.1.6.1).
    public const string PolicyExtendedValidation = "2.23.140.1.1";
    public const string PolicyDomainValidated = "2.23.140.1.2.1";
    public const string PolicyOrganizationValidated = "2.23.140.1.2.2";
    public const string PolicyIndividualValidated = "2.23.140.1.2.3";

    // PKCS #9 attributes carried in a certification request (RFC 2985 §5.4.2) and Microsoft's older equivalent of
    // extensionRequest, which certreq and some Windows tools still write ([MS-WCCE] §2.2.2.7.7).
    public const string ExtensionRequest = "1.2.840.113549.1.9.14";
    public const string MicrosoftExtensionRequest = "1.3.6.1.4.1.311.2.1.14";

    // Extended key usage purposes (RFC 5280 §4.2.1.12).
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    // Content types (RFC 5652 §4, §5.1; RFC 7292 §4).
    public const string Pkcs7Data = "1.2.840.113549.1.7.1";
    public const string Pkcs7SignedData = "1.2.840.113549.1.7.2";
}
