using System.Text.Json.Serialization;

namespace Certitude.Pki.Signing;

/// <summary>The key types a built-in CA generates: those the CA/Browser Forum Baseline Requirements §6.1.5 allow, plus
/// Ed25519 (RFC 8410) for private PKIs whose relying parties accept it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SigningKeyType>))]
public enum SigningKeyType
{
    /// <summary>ECDSA on NIST P-256 (secp256r1, RFC 5480 §2.1.1.1), signing with SHA-256.</summary>
    EcP256,

    /// <summary>ECDSA on NIST P-384 (secp384r1, RFC 5480 §2.1.1.1), signing with SHA-384.</summary>
    EcP384,

    /// <summary>RSA with a 2048-bit modulus, signing with PKCS #1 v1.5 and SHA-256 (RFC 8017 §8.2).</summary>
    Rsa2048,

    /// <summary>RSA with a 3072-bit modulus, signing with PKCS #1 v1.5 and SHA-256 (RFC 8017 §8.2).</summary>
    Rsa3072,

    /// <summary>RSA with a 4096-bit modulus, signing with PKCS #1 v1.5 and SHA-256 (RFC 8017 §8.2).</summary>
    Rsa4096,

    /// <summary>Ed25519 (RFC 8032 §5.1, in X.509 per RFC 8410).</summary>
    Ed25519,
}
