using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Ocsp;

/// <summary>
/// A CertID (RFC 6960 §4.1.1): which certificate a single request or response is about, named by hashes of its
/// issuer and by its serial number. Two ids are equal when all four fields hold the same bytes.
/// </summary>
/// <param name="HashAlgorithmOid">The hash algorithm of both issuer hashes, in dotted form (SHA-1 is 1.3.14.3.2.26).</param>
/// <param name="IssuerNameHash">The hash of the issuer's distinguished name, DER-encoded as in the issuer's subject field.</param>
/// <param name="IssuerKeyHash">The hash of the value of the issuer's subjectPublicKey BIT STRING (no tag, length or unused-bits octet).</param>
/// <param name="SerialNumber">The serial number INTEGER's content octets, big-endian, exactly as in the certificate.</param>
public sealed record OcspCertificateId(string HashAlgorithmOid, byte[] IssuerNameHash, byte[] IssuerKeyHash, byte[] SerialNumber)
{
    /// <summary>
    /// Builds the CertID of the certificate with serial <paramref name="serialNumber"/> issued by <paramref name="issuer"/>,
    /// as a client would (RFC 6960 §4.1.1).
    /// </summary>
    /// <param name="issuer">The issuing CA's certificate.</param>
    /// <param name="serialNumber">The serial number's content octets, big-endian.</param>
    /// <param name="hashAlgorithm">SHA-1 (what most clients send), SHA-256, SHA-384 or SHA-512.</param>
    /// <returns>The CertID.</returns>
    /// <exception cref="ArgumentException">The hash algorithm is not one of those four, or the serial number is empty.</exception>
    public static OcspCertificateId Create(X509Certificate2 issuer, ReadOnlySpan<byte> serialNumber, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (serialNumber.IsEmpty)
        {
            throw new ArgumentException("the serial number has no octets", nameof(serialNumber));
        }

        var algorithm = OcspHashAlgorithm.FromName(hashAlgorithm)
            ?? throw new ArgumentException($"{hashAlgorithm.Name} is not a CertID hash algorithm this library supports", nameof(hashAlgorithm));
        var nameHash = new byte[algorithm.Length];
        var keyHash = new byte[algorithm.Length];
        algorithm.Hash(issuer.SubjectName.RawData, nameHash);
        algorithm.Hash(issuer.PublicKey.EncodedKeyValue.RawData, keyHash);
        return new OcspCertificateId(algorithm.Oid, nameHash, keyHash, serialNumber.ToArray());
    }

    /// <summary>
    /// True when this id names a certificate issued by <paramref name="issuer"/>: both issuer hashes match the issuer's
    /// subject name and public key (RFC 6960 §4.1.1). False for a hash algorithm other than SHA-1, SHA-256, SHA-384 or
    /// SHA-512, since nothing can be matched then.
    /// </summary>
    /// <param name="issuer">A CA certificate the responder answers for.</param>
    /// <returns>Whether both hashes match.</returns>
    public bool IsIssuedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var algorithm = OcspHashAlgorithm.FromOid(HashAlgorithmOid);
        if (algorithm is null || IssuerNameHash.Length != algorithm.Length || IssuerKeyHash.Length != algorithm.Length)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[OcspHashAlgorithm.MaxLength];
        digest = digest[..algorithm.Length];

        // PublicKey.EncodedKeyValue holds the subjectPublicKey BIT STRING's value, the exact input RFC 6960 hashes.
        algorithm.Hash(issuer.PublicKey.EncodedKeyValue.RawData, digest);
        if (!digest.SequenceEqual(IssuerKeyHash))
        {
            return false;
        }

        algorithm.Hash(issuer.SubjectName.RawData, digest);
        return digest.SequenceEqual(IssuerNameHash);
    }

    /// <summary>Compares all four fields by value (the arrays' contents, not their references).</summary>
    /// <param name="other">The id to compare with.</param>
    /// <returns>Whether both name the same certificate in the same way.</returns>
    public bool Equals(OcspCertificateId? other)
    {
        return other is not null
            && string.Equals(HashAlgorithmOid, other.HashAlgorithmOid, StringComparison.Ordinal)
            && IssuerNameHash.AsSpan().SequenceEqual(other.IssuerNameHash)
            && IssuerKeyHash.AsSpan().SequenceEqual(other.IssuerKeyHash)
            && SerialNumber.AsSpan().SequenceEqual(other.SerialNumber);
    }

    /// <summary>A hash over the contents of all four fields, consistent with <see cref="Equals(OcspCertificateId?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(HashAlgorithmOid, StringComparer.Ordinal);
        hash.AddBytes(IssuerNameHash);
        hash.AddBytes(IssuerKeyHash);
        hash.AddBytes(SerialNumber);
        return hash.ToHashCode();
    }
}
