using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Signing;

/// <summary>
/// Lets .NET's CertificateRequest and CertificateRevocationListBuilder sign with Ed25519, which .NET has no API for:
/// the signature comes from BouncyCastle through <see cref="SigningKey"/>.
/// </summary>
/// <param name="key">The Ed25519 key; the generator fails once it is disposed.</param>
internal sealed class Ed25519SignatureGenerator(SigningKey key) : X509SignatureGenerator
{
    // AlgorithmIdentifier { id-Ed25519 } with the parameters absent, as RFC 8410 §3 requires.
    private static readonly byte[] AlgorithmIdentifier = [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70];

    /// <summary>The Ed25519 AlgorithmIdentifier; the hash is ignored because Ed25519 fixes its own (RFC 8032 §5.1).</summary>
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        return (byte[])AlgorithmIdentifier.Clone();
    }

    /// <summary>Signs <paramref name="data"/> with pure Ed25519 (RFC 8032 §5.1.6); the hash is ignored.</summary>
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(data);
        return key.SignEd25519(data);
    }

    /// <inheritdoc/>
    protected override PublicKey BuildPublicKey()
    {
        return key.PublicKey;
    }
}
