using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Certitude.Pki.Ocsp;

/// <summary>
/// A hash algorithm a CertID may name (RFC 6960 §4.1.1), with its encodings computed once so that reading and writing
/// CertIDs on the hot path neither formats nor parses dotted OIDs.
/// </summary>
internal sealed class OcspHashAlgorithm
{
    /// <summary>The largest digest of any known algorithm (SHA-512), for stack buffers.</summary>
    public const int MaxLength = 64;

    private static readonly OcspHashAlgorithm[] Known =
    [
        new(Oids.Sha1, HashAlgorithmName.SHA1, SHA1.HashSizeInBytes),
        new(Oids.Sha256, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes),
        new(Oids.Sha384, HashAlgorithmName.SHA384, SHA384.HashSizeInBytes),
        new(Oids.Sha512, HashAlgorithmName.SHA512, SHA512.HashSizeInBytes),
    ];

    private OcspHashAlgorithm(string oid, HashAlgorithmName name, int length)
    {
        Oid = oid;
        Name = name;
        Length = length;

        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        EncodedOid = writer.Encode();

        // Parameters NULL, as RFC 5754 §2 allows for SHA-2 and as OpenSSL writes them.
        writer.Reset();
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }

        EncodedAlgorithmIdentifier = writer.Encode();
    }

    public string Oid { get; }

    public HashAlgorithmName Name { get; }

    /// <summary>Digest length in bytes.</summary>
    public int Length { get; }

    /// <summary>The OBJECT IDENTIFIER's full encoding (tag, length, value).</summary>
    public byte[] EncodedOid { get; }

    /// <summary>The AlgorithmIdentifier's full encoding, with NULL parameters.</summary>
    public byte[] EncodedAlgorithmIdentifier { get; }

    public static OcspHashAlgorithm? FromOid(string oid)
    {
        foreach (var algorithm in Known)
        {
            if (algorithm.Oid == oid)
            {
                return algorithm;
            }
        }

        return null;
    }

    public static OcspHashAlgorithm? FromName(HashAlgorithmName name)
    {
        foreach (var algorithm in Known)
        {
            if (algorithm.Name == name)
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>Finds the algorithm by its OBJECT IDENTIFIER's encoding, without decoding it to a string.</summary>
    public static OcspHashAlgorithm? FromEncodedOid(ReadOnlySpan<byte> encodedOid)
    {
        foreach (var algorithm in Known)
        {
            if (encodedOid.SequenceEqual(algorithm.EncodedOid))
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/>, which is <see cref="Length"/> bytes long.</summary>
    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CryptographicOperations.HashData(Name, data, destination);
    }
}
