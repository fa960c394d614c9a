using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary>
/// ECDSA checked straight in libcrypto (<see cref="LibCryptoEcdsa"/>) against .NET's <see cref="ECDsa"/>, which decided
/// alone before: for every key and signature both give the same answer, the direct path declines what it does not
/// take, and a failure leaves nothing on OpenSSL's per-thread error queue. Keys and signatures come from .NET's
/// <see cref="ECDsa"/>; curve primes and orders from its explicit parameters (FIPS 186-4 §D.1.2).
/// </summary>
public sealed class LibCryptoEcdsaTests
{
    private static readonly byte[] Data = "a certificationRequestInfo or tbsCertificate stand-in"u8.ToArray();

    public static TheoryData<string, string> CurvesAndHashes => new()
    {
        { "P-256", "SHA256" },
        { "P-384", "SHA384" },
        { "P-521", "SHA512" },
        { "P-256", "SHA1" },
        { "P-256", "SHA384" },
        { "P-256", "SHA512" },
        { "P-384", "SHA256" },
        { "P-521", "SHA256" },
        { "P-521", "SHA1" },
    };

    public static TheoryData<string> Curves => new() { "P-256", "P-384", "P-521" };

    [Fact]
    public void IsAvailable_OnDebian_UsesTheLibCryptoDotNetUses()
    {
        // Debian 12's libcrypto.so.3 (OpenSSL 3.0): without it every other test here would only exercise .NET.
        Assert.True(LibCryptoEcdsa.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(CurvesAndHashes))]
    public void TryVerify_ValidSignature_VerifiesLikeDotNet(string curve, string hashName)
    {
        var hash = new HashAlgorithmName(hashName);

        // Several keys: P-521 coordinates start with 0x00 or 0x01, the others sometimes with 0x00.
        for (var i = 0; i < 8; i++)
        {
            using var key = NewKey(curve);
            AssertAnswer(true, key.ExportSubjectPublicKeyInfo(), Data, Sign(key, Data, hash), hash);
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_WrongKey_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var signer = NewKey(curve);
        using var other = NewKey(curve);

        AssertAnswer(false, other.ExportSubjectPublicKeyInfo(), Data, Sign(signer, Data, hash), hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_AlteredData_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = Sign(key, Data, hash);

        foreach (var position in new[] { 0, Data.Length / 2, Data.Length - 1 })
        {
            var altered = (byte[])Data.Clone();
            altered[position] ^= 0x01;
            AssertAnswer(false, spki, altered, signature, hash);
        }

        AssertAnswer(false, spki, Data[..^1], signature, hash);
        AssertAnswer(false, spki, [], signature, hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_AlteredSignature_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = Sign(key, Data, hash);

        for (var i = 0; i < signature.Length; i++)
        {
            var flipped = (byte[])signature.Clone();
            flipped[i] ^= 0x01;
            AssertAnswer(false, spki, Data, flipped, hash);
        }

        for (var length = 0; length < signature.Length; length++)
        {
            AssertAnswer(false, spki, Data, signature[..length], hash);
        }

        AssertAnswer(false, spki, Data, [.. signature, 0x00], hash);
        AssertAnswer(false, spki, Data, Sign(key, "other data"u8.ToArray(), hash), hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_GarbageSignature_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var spki = key.ExportSubjectPublicKeyInfo();

        foreach (var length in new[] { 1, 2, 8, 72, 139, 200, 10_000 })
        {
            AssertAnswer(false, spki, Data, RandomNumberGenerator.GetBytes(length), hash);
        }

        AssertAnswer(false, spki, Data, [0x30, 0x00], hash);
        AssertAnswer(false, spki, Data, [0x30, 0x80, 0x00, 0x00], hash);
        AssertAnswer(false, spki, Data, [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01], hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_SignatureNotStrictDerOrOutOfRange_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = Sign(key, Data, hash);
        var (r, s) = ReadSignature(signature);
        var order = Order(key);

        // X.690 §10.1: a length in long form where the short form fits is BER, not DER.
        var content = signature.AsSpan(signature[1] == 0x81 ? 3 : 2).ToArray();
        AssertAnswer(false, spki, Data, content.Length < 128 ? [0x30, 0x81, (byte)content.Length, .. content] : [0x30, 0x82, 0x00, (byte)content.Length, .. content], hash);

        // X.690 §8.3.2: an INTEGER with a redundant leading zero octet.
        AssertAnswer(false, spki, Data, WriteSignature(RedundantZero(r), Integer(s)), hash);

        // The IEEE P1363 form (r || s) where DER is expected.
        AssertAnswer(false, spki, Data, key.SignData(Data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), hash);

        // SEC 1 §4.1.4 step 1: r and s must lie in [1, n-1].
        AssertAnswer(false, spki, Data, WriteSignature(Integer(BigInteger.Zero), Integer(s)), hash);
        AssertAnswer(false, spki, Data, WriteSignature(Integer(r), Integer(BigInteger.Zero)), hash);
        AssertAnswer(false, spki, Data, WriteSignature(Integer(r + order), Integer(s)), hash);
        AssertAnswer(false, spki, Data, WriteSignature(Integer(r), Integer(s + order)), hash);
        AssertAnswer(false, spki, Data, WriteSignature(Integer(-r), Integer(s)), hash);
        AssertAnswer(false, spki, Data, WriteSignature(Integer(r), Integer(-s)), hash);

        // (r, n - s) is as valid as (r, s): neither OpenSSL nor .NET asks for low s.
        AssertAnswer(true, spki, Data, WriteSignature(Integer(r), Integer(order - s)), hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_PointNotOnCurve_FailsLikeDotNet(string curve)
    {
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = Sign(key, Data, hash);
        var coordinate = (spki.Length - SpkiPrefixLength(spki)) / 2;
        var prime = key.ExportExplicitParameters(false).Curve.Prime!;

        var offCurve = (byte[])spki.Clone();
        offCurve[^1] ^= 0x01;
        AssertAnswer(false, offCurve, Data, signature, hash);

        var zero = (byte[])spki.Clone();
        zero.AsSpan(spki.Length - (2 * coordinate)).Clear();
        AssertAnswer(false, zero, Data, signature, hash);

        // Coordinates equal to the field prime p (SEC 1 §2.3.4 wants them below p).
        var xIsPrime = (byte[])spki.Clone();
        prime.CopyTo(xIsPrime, spki.Length - (2 * coordinate));
        AssertAnswer(false, xIsPrime, Data, signature, hash);
        var yIsPrime = (byte[])spki.Clone();
        prime.CopyTo(yIsPrime, spki.Length - coordinate);
        AssertAnswer(false, yIsPrime, Data, signature, hash);

        // x unchanged and y replaced by y + p, which is y again modulo p: refused, not reduced.
        var parameters = key.ExportParameters(false);
        var y = new BigInteger(parameters.Q.Y, isUnsigned: true, isBigEndian: true) + new BigInteger(prime, isUnsigned: true, isBigEndian: true);
        if (y.GetByteCount(isUnsigned: true) == coordinate)
        {
            var yPlusPrime = (byte[])spki.Clone();
            y.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(yPlusPrime, spki.Length - coordinate);
            AssertAnswer(false, yPlusPrime, Data, signature, hash);
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_NegatedPoint_FailsLikeDotNet(string curve)
    {
        // (x, p - y) is on the curve: a valid key, just not the signer's.
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var parameters = key.ExportParameters(false);
        var prime = new BigInteger(key.ExportExplicitParameters(false).Curve.Prime, isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(parameters.Q.Y, isUnsigned: true, isBigEndian: true);
        var negated = (byte[])key.ExportSubjectPublicKeyInfo().Clone();
        var coordinate = parameters.Q.Y!.Length;
        var negatedY = (prime - y).ToByteArray(isUnsigned: true, isBigEndian: true);
        negatedY.CopyTo(negated, negated.Length - negatedY.Length);
        negated.AsSpan(negated.Length - coordinate, coordinate - negatedY.Length).Clear();

        AssertAnswer(false, negated, Data, Sign(key, Data, hash), hash);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void TryVerify_CompressedOrHybridPoint_LeftToDotNet(string curve)
    {
        // SEC 1 §2.3.3: 02/03 || x (compressed), 06/07 || x || y (hybrid). .NET imports neither, so neither verifies.
        var hash = HashFor(curve);
        using var key = NewKey(curve);
        var parameters = key.ExportParameters(false);
        var signature = Sign(key, Data, hash);
        var odd = (byte)(parameters.Q.Y![^1] & 1);
        var curveOid = curve switch
        {
            "P-256" => "1.2.840.10045.3.1.7",
            "P-384" => "1.3.132.0.34",
            _ => "1.3.132.0.35",
        };

        AssertAnswer(false, Spki(curveOid, [(byte)(0x02 | odd), .. parameters.Q.X!]), Data, signature, hash, decidedDirectly: false);
        AssertAnswer(false, Spki(curveOid, [(byte)(0x06 | odd), .. parameters.Q.X!, .. parameters.Q.Y!]), Data, signature, hash, decidedDirectly: false);
    }

    [Fact]
    public void TryVerify_PointOfOtherCurveLength_LeftToDotNet()
    {
        // A P-256 point labelled P-384: not the P-384 encoding, so .NET decides (and refuses the key).
        using var key = NewKey("P-256");
        var parameters = key.ExportParameters(false);
        var spki = Spki("1.3.132.0.34", [0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);

        AssertAnswer(false, spki, Data, Sign(key, Data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256, decidedDirectly: false);
    }

    [Fact]
    public void TryVerify_OtherNamedCurve_LeftToDotNet()
    {
        // brainpoolP256r1 (RFC 5639): OpenSSL has it, the direct path does not take it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var spki = key.ExportSubjectPublicKeyInfo();

        AssertAnswer(true, spki, Data, Sign(key, Data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256, decidedDirectly: false);
    }

    [Fact]
    public void TryVerify_ExplicitCurveParameters_LeftToDotNet()
    {
        // RFC 5480 §2.1.1 specifiedCurve: the same P-256 key, written with its parameters instead of the curve's OID.
        using var key = NewKey("P-256");
        using var explicitKey = ECDsa.Create(key.ExportExplicitParameters(false));
        var spki = explicitKey.ExportSubjectPublicKeyInfo();

        AssertAnswer(true, spki, Data, Sign(key, Data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256, decidedDirectly: false);
    }

    [Fact]
    public void TryVerify_AfterFailures_NextOperationsOnTheThreadSucceed()
    {
        using var key = NewKey("P-256");
        var spki = key.ExportSubjectPublicKeyInfo();
        var signature = Sign(key, Data, HashAlgorithmName.SHA256);
        var offCurve = (byte[])spki.Clone();
        offCurve[^1] ^= 0x01;

        // Each failure makes OpenSSL queue errors (ASN.1 decoding, EC point checks); none may stay behind.
        Assert.Equal(false, LibCryptoEcdsa.TryVerify(spki, Data, [0x30, 0x03, 0x02, 0x01], HashAlgorithmName.SHA256));
        Assert.Equal(0UL, OpenSslErrorQueue.Peek());
        Assert.Equal(false, LibCryptoEcdsa.TryVerify(offCurve, Data, signature, HashAlgorithmName.SHA256));
        Assert.Equal(0UL, OpenSslErrorQueue.Peek());
        Assert.Equal(false, LibCryptoEcdsa.TryVerify(spki, Data, WriteSignature(Integer(BigInteger.Zero), Integer(BigInteger.One)), HashAlgorithmName.SHA256));
        Assert.Equal(0UL, OpenSslErrorQueue.Peek());

        Assert.Equal(true, LibCryptoEcdsa.TryVerify(spki, Data, signature, HashAlgorithmName.SHA256));
        Assert.True(DotNetVerify(spki, Data, signature, HashAlgorithmName.SHA256));
        using var fresh = NewKey("P-384");
        Assert.True(fresh.VerifyData(Data, fresh.SignData(Data, HashAlgorithmName.SHA384), HashAlgorithmName.SHA384));
        Assert.Equal(0UL, OpenSslErrorQueue.Peek());
    }

    [Fact]
    public void TryVerify_ManyThreadsAtOnce_EachAnswersForItsOwnKey()
    {
        // The per-curve groups are shared by every thread; each call makes its own key.
        string[] curves = ["P-256", "P-384", "P-521"];
        var cases = Enumerable.Range(0, 48).Select(i =>
        {
            using var key = NewKey(curves[i % 3]);
            var hash = HashFor(curves[i % 3]);
            return (Spki: key.ExportSubjectPublicKeyInfo(), Signature: Sign(key, Data, hash), Hash: hash);
        }).ToArray();
        var answers = new bool?[cases.Length, 2];

        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % cases.Length;
            var other = cases[(i + 3) % cases.Length];
            answers[i, 0] = LibCryptoEcdsa.TryVerify(cases[i].Spki, Data, cases[i].Signature, cases[i].Hash);
            answers[i, 1] = LibCryptoEcdsa.TryVerify(other.Spki, Data, cases[i].Signature, cases[i].Hash);
        });

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(true, answers[i, 0]);
            Assert.Equal(false, answers[i, 1]);
        }
    }

    /// <summary>
    /// .NET answers <paramref name="expected"/> (as SignatureVerifier did before the direct path), the direct path
    /// answers the same or, when <paramref name="decidedDirectly"/> is false, declines; SignatureVerifier.Verify
    /// answers the same; and the direct path left OpenSSL's error queue empty.
    /// </summary>
    private static void AssertAnswer(bool expected, byte[] spki, byte[] data, byte[] signature, HashAlgorithmName hash, bool decidedDirectly = true)
    {
        var direct = LibCryptoEcdsa.TryVerify(spki, data, signature, hash);
        Assert.Equal(0UL, OpenSslErrorQueue.Peek());
        Assert.Equal(expected, DotNetVerify(spki, data, signature, hash));
        Assert.Equal(decidedDirectly ? expected : null, direct);
        Assert.Equal(expected, SignatureVerifier.Verify(data, new AlgorithmIdentifier(SignatureAlgorithm(hash), null), signature, ReadSpki(spki)));
    }

    /// <summary>The ECDSA check SignatureVerifier made before the direct path: a key .NET cannot import verifies nothing.</summary>
    private static bool DotNetVerify(byte[] spki, byte[] data, byte[] signature, HashAlgorithmName hash)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static ECDsa NewKey(string curve) => ECDsa.Create(curve switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, null),
    });

    private static HashAlgorithmName HashFor(string curve) => curve switch
    {
        "P-256" => HashAlgorithmName.SHA256,
        "P-384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static string SignatureAlgorithm(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => Oids.EcdsaWithSha1,
        "SHA256" => Oids.EcdsaWithSha256,
        "SHA384" => Oids.EcdsaWithSha384,
        _ => Oids.EcdsaWithSha512,
    };

    private static byte[] Sign(ECDsa key, byte[] data, HashAlgorithmName hash) =>
        key.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence);

    private static BigInteger Order(ECDsa key) =>
        new(key.ExportExplicitParameters(false).Curve.Order, isUnsigned: true, isBigEndian: true);

    /// <summary>Where the point starts in a SubjectPublicKeyInfo .NET wrote (RFC 5480 §2), i.e. after 0x04.</summary>
    private static int SpkiPrefixLength(byte[] spki) => spki.Length switch
    {
        91 => 27,
        120 => 24,
        _ => 26,
    };

    private static (BigInteger R, BigInteger S) ReadSignature(byte[] der)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        return (sequence.ReadInteger(), sequence.ReadInteger());
    }

    /// <summary>The INTEGER's encoding, DER (minimal two's complement, X.690 §8.3).</summary>
    private static byte[] Integer(BigInteger value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(value);
        return writer.Encode();
    }

    /// <summary>The INTEGER with one more leading zero octet than DER allows.</summary>
    private static byte[] RedundantZero(BigInteger value)
    {
        var content = value.ToByteArray(isUnsigned: false, isBigEndian: true);
        return [0x02, (byte)(content.Length + 1), 0x00, .. content];
    }

    /// <summary>Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3), from encoded INTEGERs.</summary>
    private static byte[] WriteSignature(byte[] r, byte[] s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(r);
            writer.WriteEncodedValue(s);
        }

        return writer.Encode();
    }

    /// <summary>A SubjectPublicKeyInfo for an EC point on a named curve (RFC 5480 §2), the point as given.</summary>
    private static byte[] Spki(string curveOid, byte[] point)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.EcPublicKey);
                writer.WriteObjectIdentifier(curveOid);
            }

            writer.WriteBitString(point);
        }

        return writer.Encode();
    }

    private static SubjectPublicKeyInfo ReadSpki(byte[] spki)
    {
        var sequence = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        var algorithm = AsnReading.ReadAlgorithmIdentifier(sequence);
        var key = sequence.ReadBitString(out _);
        return new SubjectPublicKeyInfo(spki, algorithm, key);
    }
}
