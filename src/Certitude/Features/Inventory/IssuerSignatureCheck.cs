using System.Formats.Asn1;
using System.Security.Cryptography;
using Certitude.Pki;

namespace Certitude.Features.Inventory;

/// <summary>
/// Answers <see cref="CertificateChainLinker.IsIssuedBy"/> for many children of few issuers. That method parses
/// both certificates and imports the issuer's key on every call — about half of the cost of a link, and linking
/// is most of an import's CPU time. Here each candidate issuer is parsed and its key imported once, then children
/// are checked with it. Only the common case takes this path: issuer name and subject name byte-identical (the
/// first test of RFC 5280 §7.1 name matching) and ECDSA or RSA PKCS #1 v1.5 with SHA-2 — the same .NET calls
/// Certitude.Pki makes for them. Anything else (names equal only after folding, PSS, EdDSA, SHA-1, DSA, keys
/// outside Certitude.Pki's limits) is handed to <see cref="CertificateChainLinker.IsIssuedBy"/> unchanged.
/// Not thread-safe: one instance per thread (key objects are not shared across threads).
/// </summary>
internal sealed class IssuerSignatureCheck : IDisposable
{
    private const string RsaKey = "1.2.840.113549.1.1.1";
    private const string EcKey = "1.2.840.10045.2.1";

    // Certitude.Pki's limits (SignatureVerifier.WithinLimits): beyond them it verifies nothing.
    private const int MaxRsaModulusBits = 16384;
    private const int MaxRsaExponentBytes = 8;
    private const int MaxEcFieldBits = 661;

    private readonly Dictionary<long, Issuer> _issuers = [];

    /// <summary>Whether the certificate <paramref name="issuerId"/> (DER <paramref name="issuerDer"/>) issued
    /// <paramref name="childDer"/>: its subject is the child's issuer and its key verifies the child's signature.
    /// A malformed certificate issued nothing.</summary>
    public bool IsIssuedBy(byte[] childDer, long issuerId, byte[] issuerDer)
    {
        if (!_issuers.TryGetValue(issuerId, out var issuer))
        {
            issuer = Issuer.Load(issuerDer);
            _issuers[issuerId] = issuer;
        }

        try
        {
            return issuer.Verify(childDer) ?? CertificateChainLinker.IsIssuedBy(childDer, issuerDer);
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var issuer in _issuers.Values)
        {
            issuer.Key?.Dispose();
        }

        _issuers.Clear();
    }

    /// <summary>A candidate issuer: its subject name (DER) and, when the fast path applies, its imported key.</summary>
    private sealed record Issuer(byte[]? Subject, AsymmetricAlgorithm? Key)
    {
        public static Issuer Load(byte[] der)
        {
            try
            {
                var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
                SkipToIssuer(tbs);
                tbs.ReadEncodedValue();
                tbs.ReadEncodedValue();
                var subject = tbs.ReadEncodedValue().ToArray();
                var spki = tbs.ReadEncodedValue();
                var algorithm = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
                AsymmetricAlgorithm? key = algorithm switch
                {
                    EcKey => LoadEc(spki.Span),
                    RsaKey => LoadRsa(spki.Span),
                    _ => null,
                };
                return new Issuer(subject, key);
            }
            catch (Exception e) when (e is AsnContentException or CryptographicException)
            {
                return new Issuer(null, null);
            }
        }

        /// <summary>True or false when the fast path decides; null when Certitude.Pki must.</summary>
        public bool? Verify(byte[] childDer)
        {
            if (Subject is null || Key is null)
            {
                return null;
            }

            ReadOnlyMemory<byte> signedData;
            string signatureAlgorithm;
            ReadOnlyMemory<byte> signature;
            try
            {
                var certificate = new AsnReader(childDer, AsnEncodingRules.DER).ReadSequence();
                signedData = certificate.PeekEncodedValue();
                var tbs = certificate.ReadSequence();
                signatureAlgorithm = certificate.ReadSequence().ReadObjectIdentifier();
                if (!certificate.TryReadPrimitiveBitString(out var unusedBits, out signature) || unusedBits != 0)
                {
                    return null;
                }

                SkipToIssuer(tbs);
                if (!tbs.ReadEncodedValue().Span.SequenceEqual(Subject))
                {
                    return null;
                }
            }
            catch (AsnContentException)
            {
                return null;
            }

            try
            {
                return Check(Key, signatureAlgorithm, signedData.Span, signature.Span);
            }
            catch (CryptographicException)
            {
                // As Certitude.Pki: a signature the library cannot even process verifies nothing.
                return false;
            }
        }

        private static bool? Check(AsymmetricAlgorithm key, string signatureAlgorithm, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature) =>
            (key, signatureAlgorithm) switch
            {
                (ECDsa ec, "1.2.840.10045.4.3.2") => ec.VerifyData(signedData, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
                (ECDsa ec, "1.2.840.10045.4.3.3") => ec.VerifyData(signedData, signature, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence),
                (ECDsa ec, "1.2.840.10045.4.3.4") => ec.VerifyData(signedData, signature, HashAlgorithmName.SHA512, DSASignatureFormat.Rfc3279DerSequence),
                (RSA rsa, "1.2.840.113549.1.1.11") => rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                (RSA rsa, "1.2.840.113549.1.1.12") => rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                (RSA rsa, "1.2.840.113549.1.1.13") => rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                _ => null,
            };

        /// <summary>Moves past version, serial number and signature algorithm (RFC 5280 §4.1), to the issuer.</summary>
        private static void SkipToIssuer(AsnReader tbs)
        {
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue();
            tbs.ReadEncodedValue();
        }

        private static ECDsa? LoadEc(ReadOnlySpan<byte> spki)
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out _);
            if (key.KeySize <= MaxEcFieldBits)
            {
                return key;
            }

            key.Dispose();
            return null;
        }

        private static RSA? LoadRsa(ReadOnlySpan<byte> spki)
        {
            var key = RSA.Create();
            key.ImportSubjectPublicKeyInfo(spki, out _);
            if (key.KeySize <= MaxRsaModulusBits && key.ExportParameters(false).Exponent?.Length <= MaxRsaExponentBytes)
            {
                return key;
            }

            key.Dispose();
            return null;
        }
    }
}
