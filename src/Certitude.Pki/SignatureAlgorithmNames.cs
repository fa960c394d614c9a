namespace Certitude.Pki;

/// <summary>OpenSSL's long names for signature algorithm OIDs (crypto/objects/objects.txt), the names people see in
/// <c>openssl x509 -text</c>.</summary>
internal static class SignatureAlgorithmNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [Oids.Md2WithRsa] = "md2WithRSAEncryption",
        ["1.2.840.113549.1.1.3"] = "md4WithRSAEncryption",
        [Oids.Md5WithRsa] = "md5WithRSAEncryption",
        [Oids.Sha1WithRsa] = "sha1WithRSAEncryption",
        [Oids.RsaPss] = "rsassaPss",
        [Oids.Sha256WithRsa] = "sha256WithRSAEncryption",
        [Oids.Sha384WithRsa] = "sha384WithRSAEncryption",
        [Oids.Sha512WithRsa] = "sha512WithRSAEncryption",
        [Oids.Sha224WithRsa] = "sha224WithRSAEncryption",
        ["1.2.840.113549.1.1.15"] = "sha512-224WithRSAEncryption",
        ["1.2.840.113549.1.1.16"] = "sha512-256WithRSAEncryption",
        ["1.3.14.3.2.29"] = "sha1WithRSA",
        [Oids.EcdsaWithSha1] = "ecdsa-with-SHA1",
        [Oids.EcdsaWithSha224] = "ecdsa-with-SHA224",
        [Oids.EcdsaWithSha256] = "ecdsa-with-SHA256",
        [Oids.EcdsaWithSha384] = "ecdsa-with-SHA384",
        [Oids.EcdsaWithSha512] = "ecdsa-with-SHA512",
        [Oids.DsaWithSha1] = "dsaWithSHA1",
        [Oids.DsaWithSha224] = "dsa_with_SHA224",
        [Oids.DsaWithSha256] = "dsa_with_SHA256",
        ["2.16.840.1.101.3.4.3.9"] = "ecdsa_with_SHA3-224",
        ["2.16.840.1.101.3.4.3.10"] = "ecdsa_with_SHA3-256",
        ["2.16.840.1.101.3.4.3.11"] = "ecdsa_with_SHA3-384",
        ["2.16.840.1.101.3.4.3.12"] = "ecdsa_with_SHA3-512",
        ["2.16.840.1.101.3.4.3.13"] = "RSA-SHA3-224",
        ["2.16.840.1.101.3.4.3.14"] = "RSA-SHA3-256",
        ["2.16.840.1.101.3.4.3.15"] = "RSA-SHA3-384",
        ["2.16.840.1.101.3.4.3.16"] = "RSA-SHA3-512",
        [Oids.Ed25519] = "ED25519",
        [Oids.Ed448] = "ED448",
        ["1.2.156.10197.1.501"] = "SM2-with-SM3",
    };

    /// <summary>OpenSSL's long name for a signature algorithm, or the OID itself when it has none here.</summary>
    public static string For(string oid)
    {
        return Names.GetValueOrDefault(oid, oid);
    }
}
