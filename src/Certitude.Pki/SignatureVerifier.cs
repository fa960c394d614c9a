using System.Formats.Asn1;
using System.Security.Cryptography;

using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Certitude.Pki;

/// <summary>
/// Verifies a certificate signature with a given public key. .NET does RSA (PKCS #1 v1.5 and the common RSASSA-PSS
/// parameter sets), ECDSA and DSA; BouncyCastle does what .NET has no API for: EdDSA (RFC 8410), RSASSA-PSS with other
/// salt lengths or mask hashes, and the rarer hash choices (SHA-224, SHA-3, MD2).
/// </summary>
internal static class SignatureVerifier
{
    /// <summary>True when <paramref name="signature"/> over <paramref name="signedData"/> verifies under <paramref name="key"/>
    /// with <paramref name="algorithm"/>; false for a wrong key, a bad signature, or an algorithm this library cannot check.</summary>
    public static bool Verify(ReadOnlySpan<byte> signedData, AlgorithmIdentifier algorithm, ReadOnlySpan<byte> signature, SubjectPublicKeyInfo key)
    {
        try
        {
            if (!WithinLimits(key))
            {
                return false;
            }

            return algorithm.Oid switch
            {
                Oids.Md5WithRsa => VerifyRsa(signedData, signature, key, HashAlgorithmName.MD5, RSASignaturePadding.Pkcs1),
                Oids.Sha1WithRsa => VerifyRsa(signedData, signature, key, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1),
                Oids.Sha256WithRsa => VerifyRsa(signedData, signature, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                Oids.Sha384WithRsa => VerifyRsa(signedData, signature, key, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                Oids.Sha512WithRsa => VerifyRsa(signedData, signature, key, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                Oids.RsaPss => VerifyRsaPss(signedData, algorithm, signature, key),
                Oids.EcdsaWithSha1 => VerifyEcdsa(signedData, signature, key, HashAlgorithmName.SHA1),
                Oids.EcdsaWithSha256 => VerifyEcdsa(signedData, signature, key, HashAlgorithmName.SHA256),
                Oids.EcdsaWithSha384 => VerifyEcdsa(signedData, signature, key, HashAlgorithmName.SHA384),
                Oids.EcdsaWithSha512 => VerifyEcdsa(signedData, signature, key, HashAlgorithmName.SHA512),
                Oids.DsaWithSha1 => VerifyDsa(signedData, signature, key, HashAlgorithmName.SHA1),
                Oids.DsaWithSha256 => VerifyDsa(signedData, signature, key, HashAlgorithmName.SHA256),
                Oids.Ed25519 => key.Algorithm.Oid == Oids.Ed25519
                    && VerifyWith(new Ed25519Signer(), new Ed25519PublicKeyParameters(key.Key.ToArray()), signedData, signature),
                Oids.Ed448 => key.Algorithm.Oid == Oids.Ed448
                    && VerifyWith(new Ed448Signer([]), new Ed448PublicKeyParameters(key.Key.ToArray()), signedData, signature),
                _ => VerifyWith(SignerUtilities.GetSigner(algorithm.Oid), PublicKeyFactory.CreateKey(key.Encoded.ToArray()), signedData, signature),
            };
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or ArgumentException or InvalidOperationException
            or InvalidCastException or CryptoException or SecurityUtilityException)
        {
            // A key of the wrong type, an undecodable key or an algorithm nobody here implements: not verified.
            return false;
        }
    }

    /// <summary>
    /// Refuses keys larger than OpenSSL accepts (RSA moduli of 16384 bits with exponents of 64 bits, DSA primes of 10000
    /// bits, EC fields of 661 bits): BouncyCastle has no such limits, and a certificate with a huge exponent or prime would
    /// otherwise make self-signed detection, run on every upload, cost minutes of CPU.
    /// </summary>
    internal static bool WithinLimits(SubjectPublicKeyInfo key)
    {
        switch (key.Algorithm.Oid)
        {
            case Oids.Rsa or Oids.RsaPss:
                var (modulus, exponent) = PublicKeyDescription.ReadRsaPublicKey(key.Key);
                return AsnReading.BitLength(modulus) <= 16384 && AsnReading.BitLength(exponent) <= 64;
            case Oids.Dsa:
                return PublicKeyDescription.Describe(key).Size is > 0 and <= 10000;
            case Oids.EcPublicKey:
                return PublicKeyDescription.Describe(key).Size <= 661;
            default:
                return key.Encoded.Length <= 4096;
        }
    }

    private static bool VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SubjectPublicKeyInfo key, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        if (key.Algorithm.Oid is not (Oids.Rsa or Oids.RsaPss))
        {
            return false;
        }

        using var rsa = RSA.Create();
        // The RSAPublicKey is imported directly so that keys labelled id-RSASSA-PSS (RFC 4055 §1.2) verify too.
        rsa.ImportRSAPublicKey(key.Key.Span, out _);
        return rsa.VerifyData(data, signature, hash, padding);
    }

    private static bool VerifyRsaPss(ReadOnlySpan<byte> data, AlgorithmIdentifier algorithm, ReadOnlySpan<byte> signature, SubjectPublicKeyInfo key)
    {
        if (key.Algorithm.Oid is not (Oids.Rsa or Oids.RsaPss))
        {
            return false;
        }

        var parameters = RsaPssParameters.Read(algorithm.Parameters);
        var dotnetHash = parameters.HashOid switch
        {
            Oids.Sha1 => HashAlgorithmName.SHA1,
            Oids.Sha256 => HashAlgorithmName.SHA256,
            Oids.Sha384 => HashAlgorithmName.SHA384,
            Oids.Sha512 => HashAlgorithmName.SHA512,
            _ => default(HashAlgorithmName?),
        };

        // .NET's PSS uses MGF1 with the message hash and a salt as long as the hash (RFC 8017 §9.1 recommends it).
        if (dotnetHash is { } hash && parameters.MgfHashOid == parameters.HashOid
            && parameters.SaltLength == parameters.HashLength && parameters.TrailerField == 1)
        {
            return VerifyRsa(data, signature, key, hash, RSASignaturePadding.Pss);
        }

        if (parameters.TrailerField != 1)
        {
            return false;
        }

        var (modulus, exponent) = PublicKeyDescription.ReadRsaPublicKey(key.Key);
        var rsaKey = new RsaKeyParameters(false, new Org.BouncyCastle.Math.BigInteger(1, modulus), new Org.BouncyCastle.Math.BigInteger(1, exponent));
        var signer = new PssSigner(new RsaEngine(), DigestUtilities.GetDigest(parameters.HashOid), DigestUtilities.GetDigest(parameters.MgfHashOid), parameters.SaltLength);
        return VerifyWith(signer, rsaKey, data, signature);
    }

    private static bool VerifyEcdsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SubjectPublicKeyInfo key, HashAlgorithmName hash)
    {
        if (key.Algorithm.Oid != Oids.EcPublicKey)
        {
            return false;
        }

        // P-256, P-384 and P-521 keys in their usual encoding skip .NET's key import, which costs OpenSSL 3 more than
        // the verification (see LibCryptoEcdsa); every other key, and every platform without libcrypto.so.3, takes .NET.
        return LibCryptoEcdsa.TryVerify(key.Encoded.Span, data, signature, hash) ?? VerifyEcdsaWithDotNet(data, signature, key.Encoded.Span, hash);
    }

    /// <summary>ECDSA through .NET's <see cref="ECDsa"/>: the answer the direct libcrypto path gives too, and the path
    /// for every key it does not take. Throws <see cref="CryptographicException"/> for a key that does not import.</summary>
    private static bool VerifyEcdsaWithDotNet(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> subjectPublicKeyInfo, HashAlgorithmName hash)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyDsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SubjectPublicKeyInfo key, HashAlgorithmName hash)
    {
        if (key.Algorithm.Oid != Oids.Dsa)
        {
            return false;
        }

        using var dsa = DSA.Create();
        dsa.ImportSubjectPublicKeyInfo(key.Encoded.Span, out _);
        return dsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyWith(ISigner signer, ICipherParameters key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        signer.Init(false, key);
        signer.BlockUpdate(data);
        return signer.VerifySignature(signature.ToArray());
    }
}
