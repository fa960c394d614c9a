using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Certitude.Pki.Signing;

/// <summary>
/// A CA's private key in memory: RSA, ECDSA on P-256/P-384/P-521, or Ed25519. It signs certificates and CRLs through
/// <see cref="CreateSignatureGenerator"/> and travels as an unencrypted PKCS #8 PrivateKeyInfo (RFC 5208 §5), which the
/// caller encrypts before storing it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    // Named curves (RFC 5480 §2.1.1.1).
    private const string CurveP256 = "1.2.840.10045.3.1.7";
    private const string CurveP384 = "1.3.132.0.34";
    private const string CurveP521 = "1.3.132.0.35";

    // RSA moduli below the CA/Browser Forum minimum (Baseline Requirements §6.1.5) make a CA anyone can forge; above
    // OpenSSL's limit no relying party could check the signatures.
    private const int MinimumRsaBits = 2048;
    private const int MaximumRsaBits = 16384;

    private const int Ed25519KeyLength = 32;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;
    private readonly byte[] _subjectPublicKeyInfo;

    // The DER of the last certificate Matches found holding this key (any thread may set it; a reference is written whole).
    private byte[]? _matchedCertificate;
    private bool _disposed;

    private SigningKey(RSA rsa)
    {
        _rsa = rsa;
        if (rsa.KeySize is < MinimumRsaBits or > MaximumRsaBits)
        {
            throw new CryptographicException(
                $"An RSA key of {rsa.KeySize} bits is not supported: a CA key needs {MinimumRsaBits} to {MaximumRsaBits} bits.");
        }

        _subjectPublicKeyInfo = rsa.ExportSubjectPublicKeyInfo();
        Algorithm = "RSA";
        Size = rsa.KeySize;
        HashAlgorithm = HashAlgorithmName.SHA256;
        Type = rsa.KeySize switch
        {
            2048 => SigningKeyType.Rsa2048,
            3072 => SigningKeyType.Rsa3072,
            4096 => SigningKeyType.Rsa4096,
            _ => null,
        };
    }

    private SigningKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        _subjectPublicKeyInfo = ecdsa.ExportSubjectPublicKeyInfo();
        Algorithm = "EC";

        // The curve is read from the SubjectPublicKeyInfo .NET writes (RFC 5480 §2.1.1: namedCurve) rather than from
        // ECCurve's names, which differ between platforms; an explicitly specified curve has no OID and is refused.
        (SigningKeyType? Type, string Curve, int Size, HashAlgorithmName Hash) described = NamedCurveOf(_subjectPublicKeyInfo) switch
        {
            CurveP256 => (SigningKeyType.EcP256, "P-256", 256, HashAlgorithmName.SHA256),
            CurveP384 => (SigningKeyType.EcP384, "P-384", 384, HashAlgorithmName.SHA384),
            CurveP521 => (null, "P-521", 521, HashAlgorithmName.SHA512),
            var other => throw new CryptographicException(
                $"The EC curve {other ?? "with explicit parameters"} is not supported: a CA key must use P-256, P-384 or P-521."),
        };
        (Type, Curve, Size, HashAlgorithm) = described;
    }

    private SigningKey(Ed25519PrivateKeyParameters ed25519)
    {
        _ed25519 = ed25519;
        _subjectPublicKeyInfo = Ed25519SubjectPublicKeyInfo(ed25519.GeneratePublicKey().GetEncoded());
        Algorithm = "Ed25519";
        Type = SigningKeyType.Ed25519;

        // The size CertificateFacts reports for Ed25519 keys, so a CA and its certificates describe the key alike.
        Size = 255;

        // Ed25519 hashes internally (RFC 8032 §5.1.6); .NET's builders want some hash name and the generator ignores it.
        HashAlgorithm = HashAlgorithmName.SHA512;
    }

    /// <summary>The generated key type this key is, or null for an imported key of another size or curve (RSA other
    /// than 2048, 3072 or 4096 bits; EC P-521).</summary>
    public SigningKeyType? Type { get; }

    /// <summary>"RSA", "EC" or "Ed25519", as <see cref="CertificateFacts"/> names public key algorithms.</summary>
    public string Algorithm { get; }

    /// <summary>Key size in bits: the RSA modulus length, the EC field size, or 255 for Ed25519.</summary>
    public int Size { get; }

    /// <summary>"P-256", "P-384" or "P-521" for EC keys (RFC 5480 §2.1.1.1 curve names as NIST writes them); null otherwise.</summary>
    public string? Curve { get; }

    /// <summary>
    /// The hash to hand to .NET's certificate and CRL builders with <see cref="CreateSignatureGenerator"/>: SHA-256 for
    /// RSA and P-256, SHA-384 for P-384, SHA-512 for P-521 (RFC 5758 §3.2 pairs), and SHA-512 for Ed25519, whose
    /// generator ignores it (RFC 8032 §5.1 fixes the hash).
    /// </summary>
    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>The public half as a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7); for Ed25519 the OID 1.3.101.112 with no
    /// parameters and the raw 32-byte key (RFC 8410 §4). Each call returns a new instance.</summary>
    public PublicKey PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return PublicKey.CreateFromSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        }
    }

    /// <summary>The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of the public half, as certificates for this key carry it.</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_subjectPublicKeyInfo.Clone();
    }

    /// <summary>Generates a new key from the platform's cryptographically secure random number generator.</summary>
    /// <param name="type">The key type.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    public static SigningKey Generate(SigningKeyType type)
    {
        switch (type)
        {
            case SigningKeyType.EcP256:
                return new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
            case SigningKeyType.EcP384:
                return new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP384));
            case SigningKeyType.Rsa2048:
                return new SigningKey(RSA.Create(2048));
            case SigningKeyType.Rsa3072:
                return new SigningKey(RSA.Create(3072));
            case SigningKeyType.Rsa4096:
                return new SigningKey(RSA.Create(4096));
            case SigningKeyType.Ed25519:
                // An Ed25519 private key is 32 random octets (RFC 8032 §5.1.5).
                var seed = RandomNumberGenerator.GetBytes(Ed25519KeyLength);
                try
                {
                    return new SigningKey(new Ed25519PrivateKeyParameters(seed));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(seed);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown signing key type");
        }
    }

    /// <summary>
    /// Imports an unencrypted PKCS #8 PrivateKeyInfo (RFC 5208 §5) or OneAsymmetricKey (RFC 5958 §2) holding an RSA key
    /// (RFC 8017 §A.1.2), an EC key on P-256, P-384 or P-521 (RFC 5915 §3), or an Ed25519 key (RFC 8410 §7).
    /// </summary>
    /// <param name="pkcs8">The DER encoding.</param>
    /// <exception cref="CryptographicException">The bytes are not a PrivateKeyInfo, or the key is of an unsupported
    /// algorithm, curve or size.</exception>
    public static SigningKey ImportPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var der = pkcs8.ToArray();
        try
        {
            return ImportPrivateKeyInfo(der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>
    /// Imports the first private key in PEM text (RFC 7468): "PRIVATE KEY" (PKCS #8, RFC 7468 §10), "ENCRYPTED PRIVATE KEY"
    /// (PKCS #8 EncryptedPrivateKeyInfo, RFC 7468 §11, decrypted with <paramref name="password"/>), "RSA PRIVATE KEY"
    /// (PKCS #1, RFC 8017 §A.1.2) or "EC PRIVATE KEY" (SEC 1, RFC 5915 §3). Other blocks before it, such as the
    /// "EC PARAMETERS" that <c>openssl ecparam -genkey</c> writes first, are skipped.
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="password">The password of an encrypted key; ignored for an unencrypted one.</param>
    /// <exception cref="ArgumentException">No supported private key block was found, the key is encrypted and no password
    /// was given, or it is encrypted the legacy OpenSSL way (Proc-Type/DEK-Info headers).</exception>
    /// <exception cref="CryptographicException">The password is wrong, the key does not decode, or it is of an
    /// unsupported algorithm, curve or size.</exception>
    public static SigningKey ImportPem(string pem, string? password)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "The key is encrypted in OpenSSL's legacy PEM format, which is not supported; convert it with "
                + "`openssl pkcs8 -topk8 -v2 aes-256-cbc` to an ENCRYPTED PRIVATE KEY.",
                nameof(pem));
        }

        var remaining = pem.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            if (!label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                remaining = remaining[fields.Location.End..];
                continue;
            }

            var der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            try
            {
                return label switch
                {
                    "PRIVATE KEY" => ImportPrivateKeyInfo(der),
                    "ENCRYPTED PRIVATE KEY" => ImportEncryptedPkcs8(der, password),
                    "RSA PRIVATE KEY" => ImportRsaPrivateKey(der),
                    "EC PRIVATE KEY" => ImportEcPrivateKey(der),
                    _ => throw new ArgumentException(
                        $"A \"{label}\" PEM block is not supported: use PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY.",
                        nameof(pem)),
                };
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }

        throw new ArgumentException(
            "No private key found: expected a PEM block labelled PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY.",
            nameof(pem));
    }

    /// <summary>Exports the key as an unencrypted DER PKCS #8 PrivateKeyInfo (RFC 5208 §5; RFC 8410 §7 for Ed25519),
    /// which <see cref="ImportPkcs8"/> reads back. The caller must encrypt it before it leaves memory.</summary>
    public byte[] ExportPkcs8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rsa is not null)
        {
            return _rsa.ExportPkcs8PrivateKey();
        }

        if (_ecdsa is not null)
        {
            return _ecdsa.ExportPkcs8PrivateKey();
        }

        var raw = _ed25519!.GetEncoded();
        try
        {
            // PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { CurvePrivateKey } } (RFC 8410 §7).
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Oids.Ed25519);
                }

                using (writer.PushOctetString())
                {
                    writer.WriteOctetString(raw);
                }
            }

            return writer.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>
    /// A signature generator for .NET's CertificateRequest and CertificateRevocationListBuilder: ECDSA with the hash of
    /// <see cref="HashAlgorithm"/> (RFC 5758 §3.2), RSASSA-PKCS1-v1_5 with SHA-256 (RFC 4055 §5), or Ed25519 with the
    /// parameterless AlgorithmIdentifier of RFC 8410 §3. It uses this key and stops working once the key is disposed.
    /// </summary>
    public X509SignatureGenerator CreateSignatureGenerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rsa is not null)
        {
            return X509SignatureGenerator.CreateForRSA(_rsa, RSASignaturePadding.Pkcs1);
        }

        if (_ecdsa is not null)
        {
            return X509SignatureGenerator.CreateForECDsa(_ecdsa);
        }

        return new Ed25519SignatureGenerator(this);
    }

    /// <summary>Whether <paramref name="certificate"/> holds this key's public half: its SubjectPublicKeyInfo
    /// (RFC 5280 §4.1.2.7) is byte for byte the one this key exports. An EC certificate whose point is compressed does
    /// not match.</summary>
    /// <param name="certificate">The certificate.</param>
    public bool Matches(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // A CA issues with the same certificate every time: once it matched, the same bytes match again without
        // parsing the certificate for every certificate issued.
        var der = certificate.RawDataMemory.Span;
        if (_matchedCertificate is { } matched && der.SequenceEqual(matched))
        {
            return true;
        }

        // The SPKI is read from the certificate's own bytes: .NET re-encodes PublicKey and could hide a difference.
        var spki = ParsedCertificate.Parse(der.ToArray()).PublicKey.Encoded;
        if (!spki.Span.SequenceEqual(_subjectPublicKeyInfo))
        {
            return false;
        }

        _matchedCertificate = der.ToArray();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    /// <summary>Signs with Ed25519 (RFC 8032 §5.1.6) for <see cref="Ed25519SignatureGenerator"/>.</summary>
    internal byte[] SignEd25519(byte[] data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    private static SigningKey ImportRsaPrivateKey(byte[] der)
    {
        var rsa = RSA.Create();
        return Adopt(rsa, () => rsa.ImportRSAPrivateKey(der, out _), static r => new SigningKey(r));
    }

    private static SigningKey ImportEcPrivateKey(byte[] der)
    {
        var ecdsa = ECDsa.Create();
        return Adopt(ecdsa, () => ecdsa.ImportECPrivateKey(der, out _), static e => new SigningKey(e));
    }

    private static SigningKey ImportEncryptedPkcs8(byte[] der, string? password)
    {
        if (password is null)
        {
            throw new ArgumentException("The private key is encrypted: a password is required.", nameof(password));
        }

        EncryptedPrivateKeyInfo encrypted;
        try
        {
            encrypted = EncryptedPrivateKeyInfo.GetInstance(der);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException)
        {
            throw new CryptographicException("The ENCRYPTED PRIVATE KEY block is not a PKCS #8 EncryptedPrivateKeyInfo.", e);
        }

        // BouncyCastle decrypts every PKCS #5/#12 scheme OpenSSL writes (PBES2 with PBKDF2 and AES or 3DES, RFC 8018 §6.2);
        // .NET can only decrypt into a key object of an algorithm named in advance.
        byte[] plain;
        var characters = password.ToCharArray();
        try
        {
            plain = PrivateKeyInfoFactory.CreatePrivateKeyInfo(characters, encrypted).GetEncoded();
        }
        catch (SecurityUtilityException e)
        {
            throw new CryptographicException(
                $"The private key is encrypted with an unsupported scheme ({AlgorithmName(encrypted.EncryptionAlgorithm.Algorithm.Id)}).", e);
        }
        catch (Exception e) when (e is CryptoException or ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            // A wrong password shows as bad padding or, when the padding happens to look right, as undecodable content.
            throw new CryptographicException("The password is wrong (or the encrypted private key is damaged).", e);
        }
        finally
        {
            Array.Clear(characters);
        }

        try
        {
            return ImportPrivateKeyInfo(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static SigningKey Adopt<T>(T algorithm, Action import, Func<T, SigningKey> create)
        where T : AsymmetricAlgorithm
    {
        try
        {
            import();
            return create(algorithm);
        }
        catch
        {
            algorithm.Dispose();
            throw;
        }
    }

    private static SigningKey ImportPrivateKeyInfo(byte[] der)
    {
        string algorithm;
        byte[] privateKey;
        try
        {
            // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!sequence.TryReadInt32(out var version) || version is not (0 or 1))
            {
                throw new CryptographicException("The PKCS #8 private key has an unknown version.");
            }

            algorithm = sequence.ReadSequence().ReadObjectIdentifier();
            privateKey = sequence.ReadOctetString();
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The data is not a DER PKCS #8 PrivateKeyInfo.", e);
        }

        switch (algorithm)
        {
            case Oids.Rsa:
                CryptographicOperations.ZeroMemory(privateKey);
                var rsa = RSA.Create();
                return Adopt(rsa, () => rsa.ImportPkcs8PrivateKey(der, out _), static r => new SigningKey(r));
            case Oids.EcPublicKey:
                CryptographicOperations.ZeroMemory(privateKey);
                var ecdsa = ECDsa.Create();
                return Adopt(ecdsa, () => ecdsa.ImportPkcs8PrivateKey(der, out _), static e => new SigningKey(e));
            case Oids.Ed25519:
                var raw = ReadCurvePrivateKey(privateKey);
                try
                {
                    return new SigningKey(new Ed25519PrivateKeyParameters(raw));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(raw);
                }

            default:
                CryptographicOperations.ZeroMemory(privateKey);
                throw new CryptographicException(
                    $"The private key algorithm {AlgorithmName(algorithm)} is not supported: a CA key must be RSA, EC (P-256, P-384, P-521) or Ed25519.");
        }
    }

    private static byte[] ReadCurvePrivateKey(byte[] privateKey)
    {
        try
        {
            // CurvePrivateKey ::= OCTET STRING, itself inside the PrivateKeyInfo's privateKey OCTET STRING (RFC 8410 §7).
            var reader = new AsnReader(privateKey, AsnEncodingRules.DER);
            var raw = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            if (raw.Length != Ed25519KeyLength)
            {
                throw new CryptographicException($"An Ed25519 private key has {Ed25519KeyLength} octets, not {raw.Length}.");
            }

            return raw;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The Ed25519 private key is not a CurvePrivateKey (RFC 8410 §7).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    private static string? NamedCurveOf(byte[] subjectPublicKeyInfo)
    {
        var reader = new AsnReader(subjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        var algorithm = reader.ReadSequence();
        algorithm.ReadObjectIdentifier();
        return algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier)
            ? algorithm.ReadObjectIdentifier()
            : null;
    }

    private static byte[] Ed25519SubjectPublicKeyInfo(byte[] publicKey)
    {
        // SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 } (parameters absent), BIT STRING key } (RFC 8410 §4).
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Ed25519);
            }

            writer.WriteBitString(publicKey);
        }

        return writer.Encode();
    }

    private static string AlgorithmName(string oid)
    {
        var name = oid switch
        {
            Oids.RsaPss => "RSASSA-PSS",
            Oids.Dsa => "DSA",
            Oids.Ed448 => "Ed448",
            Oids.X25519 => "X25519",
            Oids.X448 => "X448",
            _ => new Oid(oid).FriendlyName,
        };
        return name is null or "" ? oid : $"{name} ({oid})";
    }
}
