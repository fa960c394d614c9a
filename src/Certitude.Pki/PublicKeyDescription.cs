using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki;

/// <summary>The algorithm, size and curve of a public key, as <see cref="CertificateFacts"/> reports them.</summary>
/// <param name="Algorithm">"RSA" (RFC 8017), "RSA-PSS" (a key restricted to RSASSA-PSS, RFC 4055 §1.2), "EC" (RFC 5480),
/// "Ed25519", "Ed448", "X25519", "X448" (RFC 8410), "DSA" (RFC 3279 §2.3.2), or the algorithm OID when none of these.</param>
/// <param name="Size">Bits: the RSA modulus or DSA prime length, the EC field size, 255 for Ed25519/X25519 and 448 for
/// Ed448/X448; 0 when unknown.</param>
/// <param name="Curve">Named curve of an EC key ("P-256", "P-384", "P-521", "secp256k1", "brainpoolP256r1", ...), its OID
/// when the curve is not one of those; null for other algorithms and for explicit curve parameters.</param>
public sealed record PublicKeyDescription(string Algorithm, int Size, string? Curve)
{
    // Named curves (RFC 5480 §2.1.1.1, RFC 5639 §4.1, SEC 2) with their field sizes.
    private static readonly Dictionary<string, (string Name, int Bits)> Curves = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.1"] = ("P-192", 192),
        ["1.3.132.0.33"] = ("P-224", 224),
        ["1.2.840.10045.3.1.7"] = ("P-256", 256),
        ["1.3.132.0.34"] = ("P-384", 384),
        ["1.3.132.0.35"] = ("P-521", 521),
        ["1.3.132.0.10"] = ("secp256k1", 256),
        ["1.3.36.3.3.2.8.1.1.7"] = ("brainpoolP256r1", 256),
        ["1.3.36.3.3.2.8.1.1.11"] = ("brainpoolP384r1", 384),
        ["1.3.36.3.3.2.8.1.1.13"] = ("brainpoolP512r1", 512),
    };

    /// <summary>Describes a public key (a SubjectPublicKeyInfo, RFC 5280 §4.1.2.7).</summary>
    /// <param name="key">The key, of any algorithm.</param>
    /// <returns>Its algorithm, size and curve.</returns>
    /// <exception cref="AsnContentException">The key does not decode as its algorithm says it should.</exception>
    public static PublicKeyDescription Describe(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Describe(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Describes a public key given as its SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), as a request or
    /// certificate record stores it: for bytes <see cref="PublicKey.CreateFromSubjectPublicKeyInfo"/> accepts, the
    /// same answer as <see cref="Describe(PublicKey)"/> gives for that key, without encoding it again.</summary>
    /// <param name="subjectPublicKeyInfo">The encoded key, of any algorithm.</param>
    /// <returns>Its algorithm, size and curve.</returns>
    /// <exception cref="AsnContentException">The key does not decode as its algorithm says it should.</exception>
    public static PublicKeyDescription Describe(byte[] subjectPublicKeyInfo)
    {
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        return AsnReading.DecodeLenient(subjectPublicKeyInfo, reader =>
        {
            var spki = reader.ReadSequence();
            var algorithm = AsnReading.ReadAlgorithmIdentifier(spki);
            var bits = spki.ReadBitString(out _);
            spki.ThrowIfNotEmpty();
            return Describe(new SubjectPublicKeyInfo(subjectPublicKeyInfo, algorithm, bits));
        });
    }

    /// <summary>Describes a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).</summary>
    /// <exception cref="AsnContentException">The key does not decode as its algorithm says it should.</exception>
    internal static PublicKeyDescription Describe(SubjectPublicKeyInfo key)
    {
        return key.Algorithm.Oid switch
        {
            Oids.Rsa => new PublicKeyDescription("RSA", RsaModulusBits(key.Key), null),
            Oids.RsaPss => new PublicKeyDescription("RSA-PSS", RsaModulusBits(key.Key), null),
            Oids.EcPublicKey => DescribeEc(key),
            Oids.Ed25519 => new PublicKeyDescription("Ed25519", 255, null),
            Oids.Ed448 => new PublicKeyDescription("Ed448", 448, null),
            Oids.X25519 => new PublicKeyDescription("X25519", 255, null),
            Oids.X448 => new PublicKeyDescription("X448", 448, null),
            Oids.Dsa => new PublicKeyDescription("DSA", DsaPrimeBits(key.Algorithm.Parameters), null),
            _ => new PublicKeyDescription(key.Algorithm.Oid, 0, null),
        };
    }

    /// <summary>Reads an RSAPublicKey (RFC 8017 §A.1.1) into modulus and exponent, both unsigned big-endian.</summary>
    internal static (byte[] Modulus, byte[] Exponent) ReadRsaPublicKey(ReadOnlyMemory<byte> key)
    {
        return AsnReading.DecodeLenient(key, reader =>
        {
            var sequence = reader.ReadSequence();
            var modulus = AsnReading.TrimLeadingZeros(AsnReading.ReadIntegerContent(sequence).Span).ToArray();
            var exponent = AsnReading.TrimLeadingZeros(AsnReading.ReadIntegerContent(sequence).Span).ToArray();
            sequence.ThrowIfNotEmpty();
            reader.ThrowIfNotEmpty();
            return (modulus, exponent);
        });
    }

    /// <summary>Whether <paramref name="curve"/> is one of the named curves this library knows by name.</summary>
    internal static bool IsNamedCurve(string? curve)
    {
        return curve is not null && Curves.Values.Any(known => known.Name == curve);
    }

    private static int RsaModulusBits(ReadOnlyMemory<byte> key)
    {
        return AsnReading.BitLength(ReadRsaPublicKey(key).Modulus);
    }

    private static PublicKeyDescription DescribeEc(SubjectPublicKeyInfo key)
    {
        // ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitCurve NULL, specifiedCurve } (RFC 5480 §2.1.1).
        string? curveOid = null;
        if (key.Algorithm.Parameters is { } parameters)
        {
            curveOid = AsnReading.DecodeLenient(parameters, reader =>
                reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier) ? reader.ReadObjectIdentifier() : null);
        }

        if (curveOid is not null && Curves.TryGetValue(curveOid, out var known))
        {
            return new PublicKeyDescription("EC", known.Bits, known.Name);
        }

        // An unlisted or explicit curve: the point's coordinate length gives the field size to the byte.
        var point = key.Key.Span;
        var coordinateBytes = point.Length switch
        {
            0 => 0,
            _ when point[0] == 0x04 => (point.Length - 1) / 2,
            _ => point.Length - 1,
        };
        return new PublicKeyDescription("EC", coordinateBytes * 8, curveOid);
    }

    private static int DsaPrimeBits(ReadOnlyMemory<byte>? parameters)
    {
        // Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER } (RFC 3279 §2.3.2); absent when inherited from the issuer.
        if (parameters is not { } encoded)
        {
            return 0;
        }

        return AsnReading.DecodeLenient(encoded, reader =>
        {
            if (!reader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                return 0;
            }

            var sequence = reader.ReadSequence();
            return AsnReading.BitLength(AsnReading.ReadIntegerContent(sequence).Span);
        });
    }
}
