using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Tests.Support;

/// <summary>Certificates made with .NET's CertificateRequest, for fixtures that need no peer program.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset NotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NotAfter = new(2035, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] SelfSignedRsa(string subject = "CN=rsa.example.com", RSA? key = null, Action<CertificateRequest>? configure = null)
    {
        using var owned = key is null ? RSA.Create(2048) : null;
        var request = new CertificateRequest(subject, key ?? owned!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        configure?.Invoke(request);
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return certificate.RawData;
    }

    public static byte[] SelfSignedEc(X500DistinguishedName subject, ECCurve? curve = null, Action<CertificateRequest>? configure = null)
    {
        using var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        configure?.Invoke(request);
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return certificate.RawData;
    }

    public static byte[] SelfSignedEc(string subject = "CN=ec.example.com", Action<CertificateRequest>? configure = null)
    {
        return SelfSignedEc(new X500DistinguishedName(subject), null, configure);
    }

    /// <summary>A certificate authority: its certificate and its key.</summary>
    public static (X509Certificate2 Certificate, AsymmetricAlgorithm Key) Authority(string subject, AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA only", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(NotBefore, NotAfter), key);
    }

    /// <summary>Issues a certificate for <paramref name="subjectKey"/> signed by <paramref name="issuerKey"/>.</summary>
    public static byte[] Issue(
        string subject,
        PublicKey subjectKey,
        X509Certificate2 issuer,
        AsymmetricAlgorithm issuerKey,
        bool isCa = false,
        RSASignaturePadding? padding = null,
        byte[]? serial = null)
    {
        var request = new CertificateRequest(new X500DistinguishedName(subject), subjectKey, HashAlgorithmName.SHA256);
        if (isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        }

        var generator = issuerKey switch
        {
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, padding ?? RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
            _ => throw new ArgumentException("RSA or ECDSA only", nameof(issuerKey)),
        };
        using var certificate = request.Create(issuer.SubjectName, generator, NotBefore, NotAfter, serial ?? [0x01, 0x02, 0x03]);
        return certificate.RawData;
    }

    /// <summary>
    /// An RSA public key of any size without the cost of generating one: a random odd modulus with its top bit set.
    /// Parsers only need its length; nothing is ever verified with it.
    /// </summary>
    public static PublicKey FakeRsaPublicKey(int bits)
    {
        var modulus = RandomNumberGenerator.GetBytes(bits / 8);
        modulus[0] |= 0x80;
        modulus[^1] |= 0x01;
        var rsaPublicKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaPublicKey.PushSequence())
        {
            rsaPublicKey.WriteIntegerUnsigned(modulus);
            rsaPublicKey.WriteInteger(65537);
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(rsaPublicKey.Encode());
        }

        return PublicKey.CreateFromSubjectPublicKeyInfo(spki.Encode(), out _);
    }

    /// <summary>
    /// A name exercising every string type and escape: a BMPString CN, a TeletexString OU holding Latin-1, an unknown
    /// attribute, control characters, a leading "#" and a multi-valued RDN.
    /// </summary>
    public static X500DistinguishedName OddName()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            Attribute(writer, "2.5.4.6", [0x13, 0x02, (byte)'C', (byte)'H']);
            Attribute(writer, "2.5.4.11", [0x14, 0x03, 0x4D, 0xFC, 0x6C]);
            Attribute(writer, "2.5.4.3", [0x1E, 0x08, 0x00, 0x62, 0x00, 0xFC, 0x4E, 0x2D, 0x00, 0x2C]);
            Attribute(writer, "1.2.3.4", [0x0C, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o']);
            Attribute(writer, "2.5.4.10", [0x0C, 0x07, (byte)'#', (byte)'c', (byte)'t', (byte)'l', 0x01, (byte)'x', 0x7F]);
            using (writer.PushSetOf())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.5.4.3");
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, "a+b");
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("0.9.2342.19200300.100.1.1");
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, "uid=7");
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());

        static void Attribute(AsnWriter writer, string oid, byte[] encodedValue)
        {
            using (writer.PushSetOf())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteEncodedValue(encodedValue);
                }
            }
        }
    }
}
